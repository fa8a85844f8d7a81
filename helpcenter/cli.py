"""The `helpcenter` command: Flask's CLI group plus the writer's and operator's commands.

Each command is a thin shell over a service function; the same functions serve the web pages.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, ScriptInfo, with_appcontext
from werkzeug.serving import WSGIRequestHandler

from . import services
from .config_file import CONFIG_ENV, CONFIG_NAME
from .config_file import SECRETS as SECRET_SETTINGS
from .content.checks import check_tree, has_errors
from .content.cost_limits import MarkdownLimits
from .content.problems import ERROR
from .content.watch import ContentWatcher
from .database import upgrade_database
from .search.synonym_expansion import synonym_problems


def with_database(command: Callable) -> Callable:
    """For commands that read or write the database: an app context and the schema up to date
    (a no-op when it is), so no command fails on a new instance folder."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        upgrade_database(current_app)
        return command(*args, **kwargs)

    return with_appcontext(wrapper)


def _create_app() -> Flask:
    """The app for a command; a broken config file is reported as `path:line: message`, a
    setting with an impossible value as a message, neither with a stack trace."""
    from . import create_app
    from .config_file import ConfigFileError

    try:
        app = create_app()
    except ConfigFileError as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        sys.exit(2)
    except ValueError as exc:  # e.g. LANGUAGES naming an unknown language
        click.echo(f"helpcenter: {exc}", err=True)
        sys.exit(2)
    quiet_logging()
    return app


def quiet_logging() -> None:
    """A command prints what a person needs; the app's INFO log (content loaded, requests) is
    for the server (`serve` turns it back on). Migrations applied still say so."""
    logging.getLogger().setLevel(logging.WARNING)
    logging.getLogger("alembic.runtime.migration").setLevel(logging.INFO)


class HelpcenterGroup(FlaskGroup):
    """Expected problems end a command with one line saying what is wrong, not a traceback."""

    def invoke(self, ctx: click.Context):
        from sqlalchemy.exc import OperationalError

        try:
            return super().invoke(ctx)
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise click.ClickException(f"the database cannot be used: {reason}") from exc


def _use_config(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    # Through the environment, so the app (made later, maybe in another process) sees it.
    if value is not None:
        os.environ[CONFIG_ENV] = value


@click.group(
    cls=HelpcenterGroup,
    create_app=_create_app,
    add_default_commands=True,
    add_version_option=False,
    load_dotenv=False,
)
@click.option(
    "--config",
    metavar="FILE",
    expose_value=False,
    is_eager=True,
    callback=_use_config,
    help=f"The site's {CONFIG_NAME} (default: the one in this folder or the nearest parent).",
)
def main() -> None:
    """helpcenter: a multilingual help center served from Markdown articles in git.

    Run it inside a content repository (a folder with helpcenter.toml; `helpcenter new DIR`
    makes one). Every command that uses the database first applies its pending migrations
    (as `helpcenter db upgrade` does) and says which."""


@click.command("check")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "github"]),
    default="text",
    show_default=True,
    help="text: `path:line: message`; github: GitHub Actions annotations "
    "(`::error file=…,line=…::message`, paths from the content repository's root), so a pull "
    "request shows each problem on its line.",
)
@with_appcontext
def check_command(directory: Path | None, output: str) -> None:
    """Validate an articles tree (default: ARTICLES_DIR); exit 1 if any error is found."""
    root = directory or Path(current_app.config["ARTICLES_DIR"])
    if not root.is_dir():
        hint = ""
        if directory is None and services.config_file() is None:
            hint = (
                f" (no {CONFIG_NAME} here or in a parent folder: run this inside a content "
                "repository; `helpcenter new DIR` makes one)"
            )
        raise click.UsageError(f"{root} is not a folder{hint}")
    problems = check_tree(
        root,
        current_app.config["HELPCENTER_LANGUAGES"],
        limits=MarkdownLimits.from_config(current_app.config),
        placeholders=services.content_store().placeholders,
        translate=current_app.config["TRANSLATE"],
        image_max_bytes=int(current_app.config["IMAGE_MAX_BYTES"]),
        more_checks=(synonym_problems,),
    )
    cwd = Path.cwd()
    repository = Path(current_app.config["CONTENT_ROOT"])
    for problem in problems:
        if output == "github":
            click.echo(problem.github_annotation(repository))
        else:
            click.echo(problem.format(relative_to=cwd))
    errors = sum(problem.severity == ERROR for problem in problems)
    warnings = len(problems) - errors
    click.echo(f"{errors} error(s), {warnings} warning(s) in {root}", err=True)
    sys.exit(1 if has_errors(problems) else 0)


# How often `helpcenter serve` looks for saved files, unless CONTENT_CHECK_INTERVAL is set.
PREVIEW_CHECK_INTERVAL = 0.25


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--drafts/--no-drafts", default=False, help="Also show articles marked draft.")
@with_appcontext
def serve_command(host: str, port: int, drafts: bool) -> None:
    """Run the help center locally; a saved article is reloaded and re-indexed at once, and the
    open page reloads itself and shows its problems (the writer's preview)."""
    from werkzeug.serving import run_simple

    from .web import writer_preview

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    writer_preview.enable(app)
    logging.getLogger().setLevel(logging.INFO)  # the request log and content reloads
    logging.getLogger("werkzeug").addFilter(_NoServerBanner())
    upgrade_database(app)  # a new user never has to run a database command
    store = services.content_store(app)
    store.show_drafts = drafts
    configured = services.setting_sources(app)["CONTENT_CHECK_INTERVAL"] != "default"
    interval = store.check_interval if configured and store.check_interval > 0 else None
    store.check_interval = 0  # no request waits for a check: the watcher below reloads
    catalog = store.catalog()
    for problem in catalog.problems:
        click.echo(problem.format(relative_to=Path.cwd()), err=True)
    index_sync = services.index_sync(app)
    index_sync.ensure_current(catalog)
    # A save is reloaded and re-indexed in the background, before the writer asks for the page.
    ContentWatcher(store, index_sync.ensure_current, interval or PREVIEW_CHECK_INTERVAL).start()
    click.echo(
        f"Serving {len(catalog.articles)} articles on http://{host}:{port}/ (Ctrl+C to stop)"
    )
    try:
        run_simple(
            host,
            port,
            app,
            threaded=True,
            use_reloader=False,
            use_debugger=False,
            request_handler=PrivateRequestHandler,
        )
    except OSError as exc:  # e.g. the port is taken
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}"
        ) from exc


class _NoServerBanner(logging.Filter):
    """werkzeug's start-up lines repeat the address already printed and warn against using
    it in production, which docs/deploy.md covers; requests are still logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (
            "development server" in message or "CTRL+C" in message or "Running on" in message
        )


class PrivateRequestHandler(WSGIRequestHandler):
    """Logs each request without the client's address or the query string (searches, the
    staff's e-mail look-ups), as gunicorn.conf.py does in production."""

    def address_string(self) -> str:
        return "-"

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        path = urlsplit(self.path).path
        self.log("info", '"%s %s" %s %s', self.command, path, getattr(code, "value", code), size)


@click.command("index")
@click.option(
    "--full", is_flag=True, help="Rebuild from scratch into a new folder, then swap it in."
)
@with_appcontext
def index_command(full: bool) -> None:
    """Build the search indexes, or update them with only the articles that changed (first
    recomputing the words learned from customers' searches, when the database is reachable)."""
    from .search.sync import deepen_indexes, update_indexes

    catalog = services.content_store().catalog()
    indexes = services.indexes()
    for problem in catalog.problems:
        click.echo(problem.format(relative_to=Path.cwd()), err=True)
    if indexes.embedder is not None:
        indexes.embedder.processes = max(1, int(current_app.config["SEARCH_INDEX_PROCESSES"]))
    total = sum(1 for (code, _) in catalog.articles if code in catalog.language_codes)
    try:
        # Tier 1: every article searchable, by its words and by its head passage.
        with click.progressbar(length=total, label="Indexing", file=sys.stderr) as bar:
            all_stats = update_indexes(
                indexes,
                catalog,
                full=full,
                progress=_progress_of(bar),
                learned=_learned_terms(catalog),
                deep=False,
            )
        for stats in all_stats:
            click.echo(stats.describe())
        changed = {s.lang for s in all_stats if s.full or s.added or s.updated or s.removed}
        if changed:
            # The default language's articles also stand in for missing translations.
            default = current_app.config["DEFAULT_LANGUAGE"]
            _purge_cache(catalog, None if default in changed else changed)
        # Tier 2: the body's passages, written into the live index batch by batch.
        pending = sum(indexes.pending(lang.code) for lang in catalog.languages)
        if pending:
            click.echo(
                f"Search is up to date. Embedding the body's passages of {pending} "
                f"article{'' if pending == 1 else 's'} "
                "(each batch is searchable as it is written; stopping now is safe: the next "
                "`helpcenter index` goes on from here)."
            )
            with click.progressbar(length=pending, label="Passages", file=sys.stderr) as bar:
                embedded = deepen_indexes(indexes, catalog, progress=_progress_of(bar))
            click.echo(f"Every passage is embedded ({embedded} passages embedded).")
    finally:
        if indexes.embedder is not None:
            indexes.embedder.close()


def _progress_of(bar):
    """A progress callback (language, done, total) moving `bar` by each language's steps."""
    done: dict[str, int] = {}

    def progress(lang: str, count: int, _of: int) -> None:
        bar.update(count - done.get(lang, 0))
        done[lang] = count

    return progress


def _purge_cache(catalog, languages) -> None:
    """Tells the cache in front (CACHE_PURGE_URL) to drop the pages of `languages` (all when
    None); says what happened in one line, never fails the command."""
    from .cache_purge import CachePurge

    purge = CachePurge.from_config(current_app.config)
    if purge is None:
        return
    if purge.purge(catalog, languages):
        click.echo(f"cache purged ({purge.method} {purge.url})", err=True)
    else:
        click.echo(f"cache not purged ({purge.method} {purge.url}): see the log above", err=True)


@click.command("purge")
@click.option("--lang", "languages", multiple=True, help="Only this language's pages (repeatable).")
@with_appcontext
def purge_command(languages: tuple[str, ...]) -> None:
    """Drop the cached pages from the cache in front (CACHE_PURGE_URL), e.g. after a deploy
    restarted the workers with new content."""
    if not current_app.config["CACHE_PURGE_URL"]:
        raise click.ClickException("CACHE_PURGE_URL is not set: there is no cache to purge")
    catalog = services.content_store().catalog()
    _purge_cache(catalog, languages or None)


def _learned_terms(catalog):
    """The learned terms, recomputed from the search log, for the index; None (the index keeps
    the ones it has) when the database cannot be reached, which is said in one line."""
    from sqlalchemy.exc import SQLAlchemyError

    from .activity.learned_terms import LearningSettings, learn, learned_terms_by_article

    try:
        upgrade_database(current_app)
        count = learn(catalog, LearningSettings.from_config(current_app.config))
        click.echo(f"{count} learned terms from customers' searches.", err=True)
        return learned_terms_by_article()
    except SQLAlchemyError as exc:
        click.echo(
            f"learned terms left as they were: the database is unavailable ({exc})", err=True
        )
        return None


@click.command("eval")
@click.argument("queries", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--articles",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Evaluate on this articles tree (indexed into a temporary folder) instead of the site's.",
)
@click.option("--misses", is_flag=True, help="Also list queries whose answer was not ranked first.")
@with_appcontext
def eval_command(queries: Path, articles: Path | None, misses: bool) -> None:
    """Measure search relevance on QUERIES.tsv (lang, query, expected article id or NONE):
    lexical, semantic and fused side by side when semantic search is on, per language and,
    when the file has a `kind` column, per kind of query."""
    import tempfile

    from .content.loader import load_catalog
    from .search.evaluation import (
        ALL_KINDS,
        EvalFileError,
        answers,
        by_kind,
        engine_functions,
        format_scores,
        read_queries,
        score_answers,
    )
    from .search.hybrid import semantic_search
    from .search.indexer import IndexStore
    from .search.searcher import SearchService
    from .search.sync import update_indexes

    try:
        loaded = read_queries(queries)
    except EvalFileError as exc:
        raise click.ClickException(str(exc)) from exc
    languages = current_app.config["HELPCENTER_LANGUAGES"]
    with tempfile.TemporaryDirectory(prefix="helpcenter-eval-") as scratch:
        if articles:
            site_indexes = services.indexes()
            embedder = site_indexes.embedder
            indexes = IndexStore(Path(scratch), embedder=embedder)
            placeholders = services.content_store().placeholders
            loaded_catalog = load_catalog(articles, languages, placeholders=placeholders)
            update_indexes(indexes, loaded_catalog)
            service = SearchService(
                indexes,
                min_score_ratio=float(current_app.config["SEARCH_MIN_SCORE_RATIO"]),
                synonyms=loaded_catalog.synonyms.get,
                semantic=semantic_search(indexes) if embedder is not None else None,
            )
        else:
            catalog = services.content_store().catalog()
            services.index_sync().ensure_current(catalog)
            service = services.search_service()
        found = {
            name: answers(loaded, search) for name, search in engine_functions(service).items()
        }
    kinds = {query.kind for query in loaded} - {ALL_KINDS}
    for name, pairs in found.items():
        if len(found) > 1:
            click.echo(f"\n{name}:")
        click.echo(format_scores(score_answers(pairs)))
        if kinds:
            click.echo(format_scores(score_answers(pairs, by_kind), heading="kind"))
    shown = "fused" if "fused" in found else "lexical"
    scores = score_answers(found[shown])
    if misses:
        for score in scores.values():
            for query, top in score.misses:
                click.echo(
                    f"{queries}:{query.line}: {query.lang} {query.query!r} -> {top} (want {query.expected})"
                )


@click.command("settings")
@click.option("--table", is_flag=True, help="Print every setting's default and meaning (Markdown).")
def settings_command(table: bool) -> None:
    """Print every setting's value and where it came from: default, the content repository's
    helpcenter.toml or the operator's settings file (path:line), or the environment."""
    from .settings import SETTINGS, markdown_table

    if table:
        click.echo(markdown_table())
        return
    app = click.get_current_context().ensure_object(ScriptInfo).load_app()
    sources = services.setting_sources(app)
    config_file = services.config_file(app)
    click.echo(f"config file: {config_file.path if config_file else '(none found)'}")
    for setting in SETTINGS:
        value = app.config.get(setting.name)
        shown = "(set)" if setting.name in SECRET_SETTINGS and value else _show(value)
        click.echo(f"{setting.name} = {shown}  [{sources.get(setting.name, 'default')}]")


def _show(value) -> str:
    if value is None:
        return "(unset)"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


@click.command("deliver")
@click.option(
    "--retry-now", is_flag=True, help="Also retry deliveries still waiting out their backoff."
)
@with_database
def deliver_command(retry_now: bool) -> None:
    """Send what the outbox owes: contact requests to support, acknowledgements to customers.

    Run it every minute (cron, systemd timer): the web app tries each new request at once,
    and this retries what failed, with backoff. Every due delivery is tried, whatever happens
    to the others; exits 1 if any failed this time (a message that can never be built is
    marked failed and not tried again)."""
    from .support.outbox import deliver_due

    report = deliver_due(
        retry_now=retry_now,
        catalog=services.content_store().catalog,
        search=services.search_service(),
    )
    click.echo(f"{report.sent} sent, {report.failed} failed")
    for error in report.errors:
        click.echo(f"  {error}", err=True)
    sys.exit(1 if report.failed else 0)


@click.command("digest")
@click.option(
    "--period",
    type=click.Choice(["week"]),
    default="week",
    show_default=True,
    help="The period each digest covers: the last complete ISO week (the first: the last 7 days).",
)
@with_database
def digest_command(period: str) -> None:
    """Send the leads (HELPCENTER_DIGEST_TO) the digest of the last complete week (the first
    digest: the last 7 days): headline numbers and the top ten actions, in each lead's language.

    Run it from the same timer as `deliver`: it decides each week's digest once (recorded in
    the database) and hands it to the outbox, which retries a failed send; exits 1 if a send
    failed this time."""
    from .support.digest import schedule_digest
    from .support.outbox import deliver_due

    digest = schedule_digest()
    if digest is None:
        click.echo(
            "No new digest: this week's was already decided, or HELPCENTER_DIGEST_TO is empty."
        )
        return
    report = deliver_due(
        digest_id=digest.id,
        catalog=services.content_store().catalog,
        search=services.search_service(),
    )
    click.echo(
        f"Digest for {digest.first_day} to {digest.last_day}: "
        f"{report.sent} sent, {report.failed} failed (the outbox retries)"
    )
    for error in report.errors:
        click.echo(f"  {error}", err=True)
    sys.exit(1 if report.failed else 0)


@click.command("rollup")
@click.option(
    "--rebuild", is_flag=True, help="Recompute every day from the raw log (after a bulk import)."
)
@with_database
def rollup_command(rebuild: bool) -> None:
    """Roll up the activity log into the daily tables the reports add up.

    Run it from the same timer as `deliver`: it rolls up each whole day (UTC) that ended more
    than an hour ago and redoes the days whose raw rows changed since (a late click, a changed
    vote, an erased comment, a prune). The reports read whatever is not rolled up yet from the
    raw log, so their figures are exact either way; rolling up keeps long periods fast."""
    from .activity.rollups import rebuild as rebuild_all
    from .activity.rollups import refresh

    days = rebuild_all() if rebuild else refresh()
    click.echo(f"{days} days rolled up")


@click.command("requests")
@click.option("--pending", is_flag=True, help="Only requests with something not delivered (yet).")
@click.option("--limit", default=50, show_default=True, help="How many, newest first.")
@with_database
def requests_command(pending: bool, limit: int) -> None:
    """List contact requests with the delivery state of each (support e-mail, webhook,
    acknowledgement): sent, pending with the attempts so far and the last error, or failed
    (it can never be sent) with the reason."""
    from .support.requests import recent_requests

    for request in recent_requests(pending=pending, limit=limit):
        when = request.created_at.strftime("%Y-%m-%d %H:%M")
        about = request.about or (request.search_query or "")
        click.echo(f"{request.reference}  {when}  {request.lang}  {about[:60]}")
        for delivery in request.deliveries:
            click.echo(f"    {delivery.channel:<16} {delivery.describe(detail=True)}")
        if not request.deliveries:
            click.echo("    (no delivery channel was configured: only stored)")


def _contact_requests(count: int) -> str:
    return f"{count} contact request{'s' if count != 1 else ''}"


@click.command("forget")
@click.argument("email")
@with_database
def forget_command(email: str) -> None:
    """Erase the personal data (e-mail, name, message) of every contact request from EMAIL."""
    from .support.requests import forget

    count = forget(email)
    click.echo(f"Erased {_contact_requests(count)} from {email}.")


@click.command("create-user")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_database
def create_user_command(email: str, password_stdin: bool) -> None:
    """Create a staff account (reports, contact requests). The password is prompted for."""
    from .staff_accounts import AccountError, create_user

    try:
        user = create_user(email, _read_password(password_stdin))
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created staff account {user.email}.")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def _staff_account(email: str):
    from .staff_accounts import find_user

    user = find_user(email)
    if user is None:
        raise click.ClickException(f"there is no staff account {email}")
    return user


@click.command("set-password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_database
def set_password_command(email: str, password_stdin: bool) -> None:
    """Give a staff account a new password (prompted for); its open sessions end."""
    from .staff_accounts import AccountError, set_password

    user = _staff_account(email)
    try:
        set_password(user, _read_password(password_stdin))
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"New password set for {user.email}; its open sessions have ended.")


@click.command("disable-user")
@click.argument("email")
@click.option("--enable", is_flag=True, help="Allow the account to log in again instead.")
@with_database
def disable_user_command(email: str, enable: bool) -> None:
    """Stop a staff account from logging in and end its open sessions (or, with --enable,
    let it log in again)."""
    from .staff_accounts import disable_user, enable_user

    user = _staff_account(email)
    if enable:
        enable_user(user)
        click.echo(f"{user.email} can log in again.")
    else:
        disable_user(user)
        click.echo(f"{user.email} is disabled; its open sessions have ended.")


@click.command("unlock-user")
@click.argument("email")
@with_database
def unlock_user_command(email: str) -> None:
    """Let EMAIL try to log in again now, after failed logins locked it (for up to a day).
    Works for any address typed at the login, as the lock does."""
    from .staff_accounts import unlock_account

    if unlock_account(email):
        click.echo(f"{email.strip()} can log in again now.")
    else:
        click.echo(f"{email.strip()} was not locked.")


@click.command("report")
@click.argument("name")
@click.option(
    "--since", type=click.DateTime(["%Y-%m-%d"]), help="First day (default: 30 days ago)."
)
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Last day (default: today).")
@click.option("--lang", help="Only this language.")
@click.option("--format", "output", type=click.Choice(["text", "csv", "json"]), default="text")
@click.option("--table", default=1, show_default=True, help="With --format csv: which table.")
@with_database
def report_command(name, since, until, lang, output, table) -> None:
    """Print a gap report: actions ("do this next"), zero-results, no-click, articles,
    escalations, translations, stale, requests."""
    from .reports import REPORTS, Period, ReportSettings, run_report

    if name not in REPORTS:
        raise click.UsageError(f"unknown report {name!r}; choose from {', '.join(REPORTS)}")
    period = Period.from_dates(
        since.date() if since else None, until.date() if until else None, lang
    )
    catalog = services.content_store().catalog()
    if current_app.config["INDEX_AUTO_UPDATE"]:  # what a query finds now, in the current articles
        services.index_sync().ensure_current(catalog)
    settings = ReportSettings.from_config(current_app.config, services.search_service())
    result = run_report(name, period, catalog, settings)
    if output == "json":
        click.echo(result.to_json())
    elif output == "csv":
        if not 1 <= table <= len(result.tables):
            raise click.UsageError(f"this report has {len(result.tables)} tables")
        click.echo(result.to_csv(table - 1), nl=False)
    else:
        click.echo(result.to_text(), nl=False)


@click.command("prune")
@click.option(
    "--older-than",
    "days",
    type=click.IntRange(min=1),
    help=(
        "Delete search logs, article views, votes and visits older than DAYS (and, unless "
        "--rollups-older-than keeps them longer, their daily roll-ups)."
    ),
)
@click.option(
    "--rollups-older-than",
    "rollup_days",
    type=click.IntRange(min=1),
    help=(
        "Keep the daily roll-ups (counts per day and the queries as typed, naming nobody) "
        "until they are DAYS old, at least --older-than: reports over a longer period still "
        "count every search, view and vote, customers only while their rows are kept."
    ),
)
@click.option(
    "--erase-requests-older-than",
    "request_days",
    type=click.IntRange(min=1),
    help=(
        "Erase the personal data (e-mail, name, message) of contact requests older than DAYS, "
        "as `forget` does; their anonymous context stays."
    ),
)
@with_database
def prune_command(days: int | None, rollup_days: int | None, request_days: int | None) -> None:
    """Data retention: delete old activity in small batches while the site keeps running, and
    erase old customers' personal data. Every run also deletes expired rate-limit counts."""
    if days is None and request_days is None:
        raise click.UsageError("Give --older-than DAYS, --erase-requests-older-than DAYS or both.")
    if rollup_days is not None and (days is None or rollup_days < days):
        raise click.UsageError("--rollups-older-than needs --older-than, and at least its DAYS.")
    if days is not None:
        from .activity.retention import prune

        removed = prune(days, rollups_older_than_days=rollup_days)
        click.echo(", ".join(f"{n} {table} rows" for table, n in removed.items()) + " deleted.")
        # Derived from the log: what the deleted searches taught goes with them.
        from .activity.learned_terms import LearningSettings, learn

        count = learn(
            services.content_store().catalog(), LearningSettings.from_config(current_app.config)
        )
        click.echo(f"{count} learned terms remain.")
    if request_days is not None:
        from .support.requests import erase_older_than

        click.echo(
            f"Erased the personal data of {_contact_requests(erase_older_than(request_days))}."
        )
    from .ratelimits import prune_rate_counts

    click.echo(f"{prune_rate_counts()} expired rate-limit counts deleted.")


@click.command("new")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--languages",
    metavar="CODES",
    help="Languages to serve, comma-separated, the first one the default (source) language, "
    "e.g. pl,en. Without it: asked on a terminal, else English alone.",
)
def new_command(directory: Path, languages: str | None) -> None:
    """Make a new content repository in DIRECTORY: helpcenter.toml, example articles in each
    language, a CI check and a git repository with a first commit."""
    from .languages import parse_language_list
    from .scaffold import DEFAULT_LANGUAGES, ScaffoldError, create_content_repo

    if languages is not None:
        codes = parse_language_list(languages)
    elif _interactive():
        codes = _ask_languages()
    else:
        codes = DEFAULT_LANGUAGES
    try:
        made = create_content_repo(directory, codes)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created a help center in {directory}/ ({len(made.files)} files):")
    for path in made.files:
        click.echo(f"  {path.relative_to(directory)}")
    if made.committed:
        click.echo("and a git repository with a first commit.")
    else:
        click.echo(f"Not committed: {made.git_message}", err=True)
    click.echo(f"Next:\n  cd {directory}\n  helpcenter serve")


def _interactive() -> bool:
    """A person at a terminal, who can be asked (not a script, not CI)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _ask_languages() -> list[str]:
    from .languages import KNOWN_LANGUAGES, parse_language_list
    from .scaffold import DEFAULT_LANGUAGES, ui_languages

    def parsed(value: str) -> list[str]:
        codes = parse_language_list(value)
        unknown = [code for code in codes if code not in KNOWN_LANGUAGES]
        if unknown or not codes:
            raise click.BadParameter(
                f"unknown language code(s) {', '.join(unknown) or '(none)'}; "
                f"known: {', '.join(KNOWN_LANGUAGES)}"
            )
        return codes

    translated = ", ".join(ui_languages())
    return click.prompt(
        "Languages of the help center, comma-separated; the first is the default (source) "
        f"language (the interface speaks {translated})",
        default=",".join(DEFAULT_LANGUAGES),
        value_proc=parsed,
    )


# Commands that must work without a site (or with a broken one) hang on the group itself.
main.add_command(settings_command)
main.add_command(new_command)


def register_commands(app: Flask) -> None:
    app.cli.add_command(prune_command)
    app.cli.add_command(report_command)
    app.cli.add_command(create_user_command)
    app.cli.add_command(set_password_command)
    app.cli.add_command(disable_user_command)
    app.cli.add_command(unlock_user_command)
    app.cli.add_command(deliver_command)
    app.cli.add_command(digest_command)
    app.cli.add_command(rollup_command)
    app.cli.add_command(requests_command)
    app.cli.add_command(forget_command)
    app.cli.add_command(index_command)
    app.cli.add_command(purge_command)
    app.cli.add_command(eval_command)
    app.cli.add_command(check_command)
    app.cli.add_command(serve_command)
