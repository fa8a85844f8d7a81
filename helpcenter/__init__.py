"""helpcenter: a multilingual, self-service knowledge base served from Markdown in git."""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from . import services, settings
from .activity.learned_sync import LearningSync
from .activity.searchlog import SearchLog
from .cache_purge import CachePurge, PurgeOnNewContent
from .colors import accent_problem, parse_hex
from .config_file import (
    OPERATOR_FILE_ENV,
    ConfigFile,
    ConfigFileError,
    config_file_path,
    load_config_file,
    load_operator_file,
    operator_file_path,
)
from .content.cost_limits import MarkdownLimits
from .content.frontmatter import TRANSLATE_VALUES
from .content.store import ContentStore
from .database import init_database
from .instance import check_instance_folder
from .languages import Language, parse_language_list, resolve_languages
from .origins import parse_widget_origins
from .resources import ensure_catalogs_compiled, resource_dir
from .search.hybrid import passage_embedder, semantic_search
from .search.indexer import IndexStore
from .search.result_cache import result_store
from .search.searcher import SearchService
from .search.sync import IndexSync
from .staff_accounts import check_hash_method
from .support.outbox import Kicker

__all__ = ["create_app", "throttle_store_warning", "warm_up"]


def create_app(config: Mapping[str, Any] | None = None, *, production: bool = False) -> Flask:
    """The app, configured from (lowest first) the settings' defaults, the content repo's
    helpcenter.toml, the operator's settings file (HELPCENTER_SETTINGS_FILE, else
    `<instance>/settings.toml`), HELPCENTER_* environment variables and `config` (tests).
    `config["CONFIG_FILE"]` names the content repo's file (None: none); else HELPCENTER_CONFIG
    does, else it is looked for from the current folder up. `production` (gunicorn) refuses an
    instance folder inside the content repository."""
    app, config_file, sources = _configured_app(dict(config or {}), production=production)
    _place_content(app, config_file)
    _check_settings(app.config, sources)
    # Set by `helpcenter serve` alone (web/writer_preview.py), never by any settings source.
    app.config["WRITER_PREVIEW"] = False
    app.config["PRODUCTION"] = production
    _prepare_instance(app, sources)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    languages = _configure_languages(app)
    store = _content_store(app, languages)
    init_database(app)
    services.install(app, _services(app, store, config_file, sources))
    purge = CachePurge.from_config(app.config)
    if purge is not None:
        app.before_request(PurgeOnNewContent(purge, store.catalog))
    _register_faces(app)
    return app


def _place_content(app: Flask, config_file: ConfigFile | None) -> None:
    """Where the articles are: beside the content repo's config file, else the current folder
    (unless ARTICLES_DIR says)."""
    content_root = config_file.root if config_file else Path.cwd()
    app.config["INSTANCE_PATH"] = app.instance_path
    app.config["CONTENT_ROOT"] = str(content_root)
    if not app.config["ARTICLES_DIR"]:
        app.config["ARTICLES_DIR"] = str(content_root / "articles")


def _check_settings(config: dict, sources: Mapping[str, str]) -> None:
    """Settings that would fail later, refused at start-up with where they came from."""
    _check_accent(config, sources)
    _check_translate(config, sources)
    try:  # a text from the environment, a list from a file: the origins, checked, either way
        config["WIDGET_ORIGINS"] = parse_widget_origins(config["WIDGET_ORIGINS"])
    except ValueError as exc:
        raise ConfigFileError([f"{sources['WIDGET_ORIGINS']}: widget_origins: {exc}"]) from None
    try:
        check_hash_method(config["STAFF_PASSWORD_HASH"])
    except ValueError as exc:
        raise ConfigFileError(
            [f"{sources['STAFF_PASSWORD_HASH']}: staff_password_hash: {exc}"]
        ) from None
    if config["MAIL_SERVER"] and not config["MAIL_FROM"]:
        # Else every e-mail would fail at sending time, retried forever.
        raise ConfigFileError(
            [
                f"{sources['MAIL_SERVER']}: mail_server is set but mail_from is empty: "
                "name the sender of the help center's e-mails"
            ]
        )


def _prepare_instance(app: Flask, sources: dict[str, str]) -> None:
    """The instance folder, owner-only when new, and the secret key kept in it."""
    instance = Path(app.instance_path)
    _ensure_instance_folder(instance)
    if not app.config.get("SECRET_KEY"):
        sources["SECRET_KEY"] = str(instance / "secret_key")
    _ensure_secret_key(app)


def _configure_languages(app: Flask) -> list[Language]:
    """The site's languages (the default first) and Flask-Babel's settings from them."""
    languages = resolve_languages(
        parse_language_list(app.config["LANGUAGES"]), app.config["DEFAULT_LANGUAGE"]
    )
    app.config["HELPCENTER_LANGUAGES"] = languages
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(resource_dir("translations")))
    ensure_catalogs_compiled(Path(app.config["BABEL_TRANSLATION_DIRECTORIES"]))
    app.config["BABEL_DEFAULT_LOCALE"] = languages[0].code
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["TIME_ZONE"]
    # Every static URL carries a content hash (see web/assets.py), so it may be cached for long.
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = app.config["MEDIA_MAX_AGE"]
    return languages


def _content_store(app: Flask, languages: list[Language]) -> ContentStore:
    return ContentStore(
        Path(app.config["ARTICLES_DIR"]),
        languages,
        show_drafts=bool(app.config["SHOW_DRAFTS"]),
        limits=MarkdownLimits.from_config(app.config),
        check_interval=float(app.config["CONTENT_CHECK_INTERVAL"]),
        placeholders=settings.article_placeholders(app.config, [lang.code for lang in languages]),
        translate=app.config["TRANSLATE"],
    )


def _services(
    app: Flask, store: ContentStore, config_file: ConfigFile | None, sources: Mapping[str, str]
) -> services.Services:
    """Every long-lived service, built once; views and commands reach them through services.py."""
    indexes = _index_store(app)
    index_sync = IndexSync(indexes)
    return services.Services(
        config_file=config_file,
        setting_sources=sources,
        content=store,
        indexes=indexes,
        search=_search_service(app, indexes, store),
        index_sync=index_sync,
        search_log=SearchLog(app),
        kicker=Kicker(app),
        learning=LearningSync(app, store.catalog, index_sync),
    )


def _index_store(app: Flask) -> IndexStore:
    """The search indexes in the instance folder, with the passage embedder when semantic
    search is on."""
    instance = Path(app.instance_path)
    cache = Path(app.config["SEARCH_EMBEDDING_CACHE"] or instance / "embedding-cache")
    return IndexStore(
        instance / "index",
        secret=app.config["SECRET_KEY"],
        embedder=passage_embedder(cache) if app.config["SEARCH_SEMANTIC"] else None,
    )


def _search_service(app: Flask, indexes: IndexStore, store: ContentStore) -> SearchService:
    config = app.config
    return SearchService(
        indexes,
        min_score_ratio=float(config["SEARCH_MIN_SCORE_RATIO"]),
        synonyms=lambda lang: store.catalog().synonyms.get(lang),
        semantic=semantic_search(indexes) if config["SEARCH_SEMANTIC"] else None,
        results=result_store(
            int(config["SEARCH_RESULT_CACHE"]),
            str(config["SEARCH_RESULT_CACHE_URL"] or ""),
            int(config["SEARCH_RESULT_CACHE_TTL"]),
        ),
    )


def _register_faces(app: Flask) -> None:
    """The web blueprints and the CLI commands: the only imports of web/ and cli, made last
    (they sit above everything create_app built)."""
    from .cli import register_commands
    from .web import register_web

    register_web(app)
    register_commands(app)


def _configured_app(
    config: dict[str, Any], *, production: bool
) -> tuple[Flask, ConfigFile | None, dict[str, str]]:
    """The Flask app with its settings from every source, the content repo's config file, and
    where each setting came from. The instance folder is checked before anything is read from
    it (instance.py)."""
    config_file = _load_config_file(config)
    sources = {name: "default" for name in settings.defaults()}
    environment = _environment_settings()
    named = operator_file_path()  # the one HELPCENTER_SETTINGS_FILE names, if any
    operator_file = load_operator_file(named) if named else None
    # The instance folder (SQLite database, search index, secret key): told, else beside the
    # content repo's config file (a writer's checkout; never in production), else Flask's own.
    instance_path = (
        config.get("INSTANCE_PATH")
        or os.environ.get("HELPCENTER_INSTANCE_PATH")
        or (operator_file.values.get("INSTANCE_PATH") if operator_file else None)
        or (config_file.root / "instance" if config_file else None)
    )
    app = Flask(
        __name__,
        instance_path=str(Path(instance_path).absolute()) if instance_path else None,
        static_folder=str(resource_dir("static")),
    )
    instance = Path(app.instance_path)
    check_instance_folder(
        instance, config_file.root if config_file else Path.cwd(), production=production
    )
    if operator_file is None:
        found = operator_file_path(instance)
        operator_file = load_operator_file(found) if found else None
        if operator_file and "INSTANCE_PATH" in operator_file.values:
            raise ConfigFileError(
                [f"{operator_file.where('INSTANCE_PATH')}: instance_path cannot be set in the "
                 f"instance folder's own settings file; name the file with {OPERATOR_FILE_ENV}"]
            )  # fmt: skip
    app.config.from_mapping(settings.defaults())
    for file in (config_file, operator_file):
        if file:
            app.config.from_mapping(file.values)
            sources.update({name: file.where(name) for name in file.values})
    app.config.from_prefixed_env("HELPCENTER")
    sources.update({name: f"environment HELPCENTER_{name}" for name in environment})
    app.config.from_mapping(config)
    sources.update(dict.fromkeys(config, "create_app"))
    return app, config_file, sources


def _load_config_file(config: Mapping[str, Any]) -> ConfigFile | None:
    path = (
        config_file_path(config["CONFIG_FILE"]) if "CONFIG_FILE" in config else config_file_path()
    )
    return load_config_file(path) if path else None


def _check_accent(config: dict, sources: Mapping[str, str]) -> None:
    """The accent colour from wherever it came (the config file checks its own on reading)."""
    try:
        color = parse_hex(str(config["ACCENT_COLOR"]))
        problem = accent_problem(color)
    except ValueError as exc:
        problem = str(exc)
    if problem:
        raise ConfigFileError([f"{sources['ACCENT_COLOR']}: accent_color: {problem}"])
    config["ACCENT_COLOR"] = color


def _check_translate(config: dict, sources: Mapping[str, str]) -> None:
    """TRANSLATE from wherever it came (the config file checks its own on reading)."""
    if config["TRANSLATE"] not in TRANSLATE_VALUES:
        raise ConfigFileError(
            [
                f"{sources['TRANSLATE']}: translate must be "
                f"{' or '.join(map(repr, TRANSLATE_VALUES))}, not {config['TRANSLATE']!r}"
            ]
        )


def _environment_settings() -> set[str]:
    """The settings HELPCENTER_* environment variables set (as Flask's from_prefixed_env
    reads them: HELPCENTER_A__B sets a key inside A)."""
    names = {
        key.removeprefix("HELPCENTER_").split("__")[0]
        for key in os.environ
        if key.startswith("HELPCENTER_")
    }
    return names - {"CONFIG", "SETTINGS_FILE"}


def warm_up(app: Flask) -> None:
    """Loads the articles and opens every language's searcher before the first customer
    arrives (gunicorn.conf.py calls it in each new worker), so nobody waits a second for it."""
    with app.app_context():
        catalog = services.content_store(app).catalog()
        search = services.search_service(app)
        for code in catalog.language_codes:
            search.search(code, "warm up")


def throttle_store_warning(app: Flask, processes: int) -> str | None:
    """What to tell the operator when several processes would each keep their own per-minute
    throttles in memory (each then allows the full limit); None when that is not the case."""
    store = str(app.config["RATELIMIT_STORAGE_URI"])
    if processes <= 1 or not store.startswith("memory://"):
        return None
    return (
        f"HELPCENTER_RATELIMIT_STORAGE_URI is {store}: each of the {processes} worker processes "
        f"counts the per-minute search throttles on its own, so they allow {processes} times "
        "their limit. Point it at a shared store (redis://…) shared by every worker and node. "
        "(The limits on contact posts, votes, acknowledgements and logins count in the "
        "database and hold anyway.)"
    )


def _ensure_secret_key(app: Flask) -> None:
    """Without configuration, make one random key and keep it, so sessions survive restarts."""
    if app.config.get("SECRET_KEY"):
        return
    key_file = Path(app.instance_path) / "secret_key"
    if not key_file.exists():
        # Born owner-only (no moment where another user could read it), complete before it
        # appears under its name: workers starting together never read a half-written key.
        draft = key_file.with_name(f".secret_key.{os.getpid()}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_hex(32))
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass  # another worker made it first: use theirs
        finally:
            draft.unlink()
    app.config["SECRET_KEY"] = key_file.read_text().strip()


def _ensure_instance_folder(path: Path) -> None:
    """The instance folder holds the database and the secret key: a new one is owner-only.

    A folder that already exists is left as its owner set it up."""
    if path.is_dir():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        path.mkdir(mode=0o700)
    except FileExistsError:
        return  # another worker made it first
    path.chmod(0o700)  # mkdir's mode is narrowed by the umask, never widened: make it exact
