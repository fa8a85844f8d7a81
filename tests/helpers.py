"""The tests' plain helpers, in one place (as Datasette's tests/utils.py): ports and HTTP, the
suite's database, test apps, forms and the staff login, hand-written activity, the SMTP and
webhook servers on loopback. conftest.py files only declare fixtures and import from here;
test modules import from here, never from a conftest or from another test module."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import socket
import sqlite3
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from aiosmtpd.controller import Controller
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from jinja2.bccache import Bucket, BytecodeCache
from sqlalchemy import select
from sqlalchemy.pool import NullPool
from werkzeug.serving import make_server

from helpcenter import create_app, services
from helpcenter.activity.visits import record_escalation, record_visits
from helpcenter.cli import main
from helpcenter.content.loader import load_catalog
from helpcenter.database import upgrade_database
from helpcenter.extensions import db
from helpcenter.languages import resolve_languages
from helpcenter.models import ContactRequest, PageView, SearchEvent, Vote, asked_from
from helpcenter.reports import REPORTS
from helpcenter.search.hybrid import passage_embedder, semantic_search
from helpcenter.search.indexer import IndexStore
from helpcenter.search.plan import clean_query, normalize_query, query_terms
from helpcenter.search.searcher import SearchService
from helpcenter.search.sync import update_indexes
from helpcenter.support.requests import new_reference

if TYPE_CHECKING:
    from .postgres import PostgresServer

T = TypeVar("T")

# This checkout; its helpcenter.toml is the sample content's site (Brightwood): support hours
# and response time in every language, a support address and a mail sender. Tests that need
# such an identity name it explicitly.
ROOT = Path(__file__).resolve().parent.parent
# Screenshots the browser tests save, kept by CI as an artifact.
ARTIFACTS = ROOT / "test-artifacts"
SAMPLE_CONFIG = ROOT / "helpcenter.toml"
LANGUAGES = ["en", "pl", "he", "lt", "el", "hr"]
# Every language with its stemmer and direction, for tests that use content/ and search/ alone.
ALL = resolve_languages(LANGUAGES, "en")


# --- ports and HTTP ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, attempts: int = 300, data: dict[str, str] | None = None) -> str:
    """The body of a GET (or of a POST of `data`), retried while the server is still starting
    (a gunicorn with several workers can take seconds to answer on a busy machine)."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    for _ in range(attempts):
        try:
            with urllib.request.urlopen(url, data=body, timeout=5) as response:
                return response.read().decode()
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} never answered")


def wait_until(check: Callable[[], T], failure: str, attempts: int = 50) -> T:
    """`check()`'s first truthy answer, asked every tenth of a second: for what another process
    or thread does in its own time (counted in attempts, so a slow machine only waits longer
    per attempt, and a test never fails on the clock)."""
    for _ in range(attempts):
        answer = check()
        if answer:
            return answer
        time.sleep(0.1)
    raise AssertionError(failure)


# --- the suite's database ------------------------------------------------------------------
# Every test app gets a database of its own, already migrated: a copy of one template migrated
# once per session (a file copy on SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL), which is
# what running the migrations on an empty database gives, at a fraction of the cost.
# tests/test_migrations.py runs the migrations themselves, one by one.


class SuiteDatabase:
    """The back-end the suite runs on (`pytest --database`), and its migrated templates."""

    def __init__(self, backend: str) -> None:
        self.backend = backend
        self.folder = Path(tempfile.mkdtemp(prefix="hc-suite-"))
        self.postgres: PostgresServer | None = None
        if backend == "postgresql":
            from .postgres import PostgresServer  # it takes a free port from here

            self.postgres = PostgresServer()
        self._sqlite_template: Path | None = None
        self._postgres_template: str | None = None

    def stop(self) -> None:
        if self.postgres is not None:
            self.postgres.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def new_database_url(self) -> str | None:
        """A new, empty PostgreSQL database when the suite runs on PostgreSQL; None on SQLite
        (a process given no database URL makes its SQLite file in its instance folder)."""
        return self.postgres.new_database() if self.postgres is not None else None

    def migrated_database_url(self) -> str | None:
        """A new PostgreSQL database holding every migration; None on SQLite."""
        if self.postgres is None:
            return None
        if self._postgres_template is None:
            url = self.postgres.new_database()
            self._migrate(url, self.folder / "postgres-template")
            self._postgres_template = url.rsplit("/", 1)[1]
        return self.postgres.new_database(template=self._postgres_template)

    def sqlite_template(self) -> Path:
        """An SQLite file holding every migration, made on first use."""
        if self._sqlite_template is None:
            instance = self.folder / "sqlite-template"
            path = instance / "helpcenter.sqlite3"
            self._migrate(f"sqlite:///{path}", instance)
            with sqlite3.connect(path) as connection:  # everything in the file, nothing in -wal
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.close()
            self._sqlite_template = path
        return self._sqlite_template

    @staticmethod
    def _migrate(url: str, instance: Path) -> None:
        articles = instance / "articles"
        articles.mkdir(parents=True)
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "template",
                "ARTICLES_DIR": str(articles),
                "INSTANCE_PATH": str(instance),
                "SQLALCHEMY_DATABASE_URI": url,
                "SQLALCHEMY_ENGINE_OPTIONS": {"poolclass": NullPool},
            }
        )
        upgrade_database(app)
        with app.app_context():
            db.engine.dispose()  # a template must have no open connection


_database: SuiteDatabase | None = None


def start_suite_database(backend: str) -> SuiteDatabase:
    """Called once per session by the `suite_database` fixture (tests/conftest.py)."""
    global _database
    _database = SuiteDatabase(backend)
    return _database


def stop_suite_database() -> None:
    global _database
    if _database is not None:
        _database.stop()
        _database = None


def suite_database() -> SuiteDatabase:
    if _database is None:
        raise RuntimeError("the suite's database is set up by tests/conftest.py")
    return _database


def new_database_url() -> str | None:
    """A new, empty database for a process a test starts: a PostgreSQL URL when the suite runs
    on PostgreSQL, None on SQLite (the process then makes its file in its instance folder)."""
    return suite_database().new_database_url()


# --- apps ----------------------------------------------------------------------------------


class CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates kept in memory for the whole session, shared by every test app.

    Each app has its own Jinja environment, so without this each of the suite's ~1,000 apps
    compiled the templates it rendered again (a fifth of the suite's time). Jinja checks each
    entry against its template's source, and every app compiles with the same extensions and
    options (create_app), so a shared entry is what the app would have compiled itself."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = CompiledTemplates()


def make_app(tmp_path: Path, articles: Path, **config):
    """A test app on `articles` with its instance folder in `tmp_path`, migrated, on the suite's
    database back-end; `config` overrides any setting."""
    settings = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "ARTICLES_DIR": str(articles),
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "CONTENT_CHECK_INTERVAL": 0,
        "RATELIMIT_ENABLED": False,  # tests/support/test_contact.py turns it on where it tests it
        "LEARN_INTERVAL": 0,  # no background thread; tests/search/test_learning.py runs rounds
        # A cheap hash for the suite's many staff logins (scrypt costs 0.1 s a password);
        # tests/web/test_staff_login.py checks the default.
        "STAFF_PASSWORD_HASH": "pbkdf2:sha256:1000",
        # Lexical only unless a test is about semantic search (tests/search/test_semantic.py):
        # the many small apps of the suite would otherwise each load the model.
        "SEARCH_SEMANTIC": False,
        **config,
    }
    database = suite_database()
    if database.postgres is not None and "SQLALCHEMY_DATABASE_URI" not in config:
        settings["SQLALCHEMY_DATABASE_URI"] = database.migrated_database_url()
        # No idle pooled connections left behind by the many short-lived test apps.
        settings["SQLALCHEMY_ENGINE_OPTIONS"] = {"poolclass": NullPool}
    app = create_app(settings)
    app.jinja_env.bytecode_cache = COMPILED_TEMPLATES
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if database.postgres is None and uri.startswith("sqlite:///"):
        path = Path(uri.removeprefix("sqlite:///"))
        if not path.exists():  # a new instance folder, not a restart of an earlier app
            shutil.copyfile(database.sqlite_template(), path)
    upgrade_database(app)
    return app


# --- forms and the staff login -------------------------------------------------------------

_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token(client, url: str) -> str:
    """The CSRF token of the form on `url`, as a browser would send it back."""
    page = client.get(url).get_data(as_text=True)
    match = _TOKEN.search(page)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


# What every current browser sends with a post from one of the site's own pages (web/origin.py).
SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}


def beacon(client, lang: str, article: str | None = None, *, nonce: str | None = None, **fields):
    """The page-view beacon site.js sends once a page is shown (web/beacon.py); a new page load
    (nonce) unless one is given."""
    data = {"lang": lang, "nonce": nonce or uuid.uuid4().hex, **fields}
    if article:
        data["article"] = article
    return client.post("/beacon", data=data, headers=SAME_ORIGIN)


_SEARCH_TOKEN = re.compile(r'data-beacon-search="([^"]+)"')
_RESULT_LINK = re.compile(r'data-result-rank="(\d+)" data-result-article="([^"]+)"')


@dataclass
class BrowserSearch:
    """A results page as a browser with JavaScript shows it: the page, and after its beacon
    (which logs the search) the result links site.js makes with the search's key."""

    html: str
    key: str | None
    links: list[str]


def search_as_browser(client, lang: str, query: str, **args) -> BrowserSearch:
    """GETs a results page and sends its beacon, as site.js does (web/search_beacon.py)."""
    response = client.get(f"/{lang}/search", query_string={"q": query, **args})
    assert response.status_code == 200, response.status_code
    html = response.get_data(as_text=True)
    token = _SEARCH_TOKEN.search(html)
    if token is None:
        return BrowserSearch(html, None, [])
    fields = {"search": token.group(1).replace("&amp;", "&"), "q": query}
    if "e" in args:
        fields["e"] = args["e"]
    key = beacon(client, lang, **fields).json["search"]
    links = [
        f"/{lang}/search/click?e={key}&r={rank}&a={article}"
        for rank, article in _RESULT_LINK.findall(html)
    ]
    return BrowserSearch(html, key, links)


def logged_in_staff(app):
    """A client logged in as a freshly created member of staff, through the real login form."""
    from helpcenter.staff_accounts import create_user

    with app.app_context():
        create_user("lead@example.com", "correct horse battery")
    client = app.test_client()
    assert log_in(client).status_code == 303
    return client


def log_in(client, email: str = "lead@example.com", password: str = "correct horse battery"):
    """Posts the staff login form as a browser would (with the form's CSRF token)."""
    return client.post(
        "/login",
        data={"csrf_token": csrf_token(client, "/login"), "email": email, "password": password},
    )


# --- hand-written activity with known answers ----------------------------------------------

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


def days_ago(days: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


class Activity:
    """Writes log rows straight into the database, at chosen times."""

    def __init__(self, app) -> None:
        self.app = app

    def _add(self, *rows) -> None:
        """Stores the rows and their visits, as the activity log and the contact form do."""
        with self.app.app_context():
            db.session.add_all(rows)
            record_visits(
                (row.created_at.date(), row.visitor, row.lang)
                for row in rows
                if isinstance(row, SearchEvent | PageView)
            )
            for row in rows:
                if isinstance(row, ContactRequest):
                    record_escalation(row.created_at.date(), row.visitor, row.lang)
            db.session.commit()

    # `widget`: the host page's path, for a row the help widget's panel made (models.AskedFrom).

    def search(
        self, lang, query, results, *, visitor="v1", at=None, clicked=None, widget=None
    ) -> None:
        query = clean_query(query)  # as the search page logs it
        self._add(
            SearchEvent(
                key=uuid.uuid4().hex,
                created_at=at or days_ago(1),
                lang=lang,
                query=query,
                normalized=normalize_query(lang, query),
                result_count=results,
                page=1,
                visitor=visitor.ljust(32, "0"),
                clicked_article=clicked,
                **asked_from(widget),
            )
        )

    def view(self, lang, article_id, *, visitor="v1", at=None, widget=None) -> None:
        self._add(
            PageView(
                created_at=at or days_ago(1),
                lang=lang,
                article_id=article_id,
                visitor=visitor.ljust(32, "0"),
                **asked_from(widget),
            )
        )

    def votes(
        self, lang, article_id, yes: int, no: int, reason=None, comment=None, widget=None
    ) -> None:
        rows = [
            Vote(
                article_id=article_id,
                lang=lang,
                visitor=f"{article_id}{helpful}{n}"[-32:],
                helpful=helpful,
                reason=None if helpful else reason,
                comment=None if helpful else comment,
                created_at=days_ago(1),
                updated_at=days_ago(1),
                **asked_from(widget),
            )
            for helpful, count in ((True, yes), (False, no))
            for n in range(count)
        ]
        self._add(*rows)

    def contact(
        self,
        lang,
        article_id=None,
        *,
        visitor="v1",
        at=None,
        email="c@example.com",
        name="Cy",
        message="Help me, please.",
        about="",
        search_query=None,
        reason=None,
        widget=None,
    ):
        self._add(
            ContactRequest(
                reference=new_reference(),
                created_at=at or days_ago(1),
                lang=lang,
                email=email,
                name=name,
                message=message,
                about=about,
                article_id=article_id,
                search_query=search_query,
                reason=reason,
                visitor=visitor.ljust(32, "0"),
                **asked_from(widget),
            )
        )


# --- mail and webhooks on loopback ---------------------------------------------------------


class Mailbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.raw: list[bytes] = []  # each message's bytes as they came over the wire
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse = False

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "554 Transaction failed: refused for the test"
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.raw.append(envelope.original_content)
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in m["To"]]


class SmtpServer:
    """A real SMTP server (aiosmtpd) on loopback; `start()` it when the test wants it up."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.mailbox = Mailbox()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=port)
        self.running = False

    def start(self) -> None:
        self.controller.start()
        self.running = True

    def stop(self) -> None:
        if self.running:
            self.controller.stop()
            self.running = False


def serving_thread(server) -> threading.Thread:
    """A daemon thread (not started) serving `server` until `server.shutdown()`, which then
    returns within a few ms: serve_forever's default poll of 0.5 s made every stop of a test
    server wait half a second."""
    return threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    )


class WebhookServer:
    """A helpdesk stand-in: records posts, answers with `statuses` in turn (then 200)."""

    def __init__(self) -> None:
        self.posts: list[tuple[dict, dict, bytes]] = []
        self.statuses: list[int] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = hook.statuses.pop(0) if hook.statuses else 200
                if status == 200:
                    hook.posts.append((json.loads(body), dict(self.headers), body))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/helpcenter"
        self.thread = serving_thread(self.server)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class HangingServer:
    """A mail server or helpdesk that hangs: it accepts every connection on loopback, then
    says nothing for `hang` seconds; or, with `trickle`, sends those bytes one at a time, one
    every `every` seconds (never a whole line, so no per-read timeout ever fires). `connected`
    is set once a client is in; `close()` drops every connection, as a server that dies."""

    def __init__(self, hang: float = 60.0, trickle: bytes = b"", every: float = 0.1) -> None:
        self.hang, self.trickle, self.every = hang, trickle, every
        self.connected = threading.Event()
        self.connections = 0
        self._stopped = threading.Event()
        self._clients: list[socket.socket] = []
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/hooks/helpcenter"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # closed
            with self._lock:
                self._clients.append(client)
                self.connections += 1
            self.connected.set()
            threading.Thread(target=self._hold, args=(client,), daemon=True).start()

    def _hold(self, client: socket.socket) -> None:
        deadline = time.monotonic() + self.hang
        for byte in self.trickle:
            if self._stopped.wait(self.every) or time.monotonic() > deadline:
                break
            try:
                client.sendall(bytes([byte]))
            except OSError:
                return  # the client gave up
        self._stopped.wait(max(deadline - time.monotonic(), 0))
        client.close()

    def close(self) -> None:
        self._stopped.set()
        self._listener.close()
        with self._lock:
            for client in self._clients:
                with contextlib.suppress(OSError):  # the client has gone already
                    client.shutdown(socket.SHUT_RDWR)
                client.close()


# --- a live site for the browser ----------------------------------------------------------


class LiveSite:
    """The app served on loopback by a thread (`thread.start()` it), mailing `smtp`."""

    def __init__(self, app, smtp: SmtpServer) -> None:
        self.app = app
        self.smtp = smtp
        self.server = make_server("127.0.0.1", free_port(), app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = serving_thread(self.server)

    def wait_for_deliveries(self) -> None:
        services.kicker(self.app).wait()


# --- accessibility ------------------------------------------------------------------------

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page) -> list[dict]:
    """axe-core's serious and critical violations on a Playwright page or frame (the test
    injects the npm package; the page's CSP must be bypassed for it)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


# --- another site's page with the help widget -------------------------------------------------


class HostSite:
    """Another site on loopback (another port: another origin) whose page embeds the help
    widget of `help_url`, as a customer's shop would: its own stylesheet and script (which a
    widget must leave alone), and the Content-Security-Policy docs/deploy.md tells such a site
    to send. `/shop/billing` has the tag (`?lang=` sets its data-lang, `?context=` its
    data-context), `/plain` is the same page without it, `/framed` frames the panel directly."""

    STYLE = (
        "body { font-family: serif; color: rgb(20, 20, 20); }\n"
        "button { background: rgb(255, 0, 0) !important; font-size: 40px !important; }\n"
        "iframe { display: none !important; }\n"
    )
    SCRIPT = (
        "window.hostBefore = Object.keys(window);\n"
        "window.hostErrors = [];\n"
        "window.addEventListener('error', function (e) { window.hostErrors.push(e.message); });\n"
    )

    def __init__(self) -> None:
        self.help_url = ""
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = serving_thread(self.server)

    def page(self, query: dict[str, list[str]], *, widget: bool) -> str:
        lang = query.get("lang", [""])[0]
        context = query.get("context", [""])[0]
        attributes = (f' data-lang="{lang}"' if lang else "") + (
            f' data-context="{context}"' if context else ""
        )
        tag = (
            f'<script src="{self.help_url}/widget.js"{attributes} async></script>' if widget else ""
        )
        return (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<title>Invoices · Shop</title><link rel="stylesheet" href="/host.css">'
            f'<script src="/host.js"></script>{tag}</head>'
            "<body><h1>Your invoices</h1><p>Invoice 2026-001</p>"
            '<button id="host-button" type="button">Pay</button></body></html>'
        )

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                path, _, query = self.path.partition("?")
                params = urllib.parse.parse_qs(query)
                policy = (
                    "default-src 'self'; "
                    f"script-src 'self' {site.help_url}; frame-src {site.help_url}; "
                    "style-src 'self'; img-src 'self'"
                )
                if path == "/host.css":
                    self.answer(site.STYLE, "text/css")
                elif path == "/host.js":
                    self.answer(site.SCRIPT, "text/javascript")
                elif path in ("/shop/billing", "/plain"):
                    self.answer(site.page(params, widget=path != "/plain"), "text/html", policy)
                elif path == "/favicon.ico":
                    self.send_response(204)
                    self.end_headers()
                elif path == "/framed":
                    frame = f'<iframe src="{site.help_url}/widget/en/" title="help"></iframe>'
                    self.answer(f"<!doctype html><title>Framed</title>{frame}", "text/html")
                else:
                    self.send_error(404)

            def answer(self, body: str, kind: str, policy: str = "") -> None:
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", f"{kind}; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                if policy:
                    self.send_header("Content-Security-Policy", policy)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        return Handler

    def start(self, help_url: str) -> None:
        self.help_url = help_url
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- the support flow ----------------------------------------------------------------------

SUPPORT = "help@brightwood.example"


def mail_app(tmp_path, basic, port: int, **config):
    """The sample's site sending mail to the SMTP server on `port` (the mail settings are the
    operator's, never the content repository's)."""
    settings = {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
        "MAIL_FROM": "help-center@brightwood.example",
        "MAIL_TIMEOUT": 3,
        "SUPPORT_EMAIL": SUPPORT,
        "CONFIG_FILE": SAMPLE_CONFIG,
        "PUBLIC_URL": "https://help.example.com",
        **config,
    }
    return make_app(tmp_path, basic.root, **settings)


def requests(app) -> list[ContactRequest]:
    """Every contact request with its deliveries."""
    with app.app_context():
        found = list(db.session.scalars(select(ContactRequest)))
        for request in found:
            request.deliveries  # noqa: B018 - load while the session is open
        return found


# --- processes a test starts ---------------------------------------------------------------


def server_env(tree, tmp_path) -> dict[str, str]:
    """The environment of a gunicorn run on `tree`, on the database the suite runs against."""
    env = {
        **os.environ,
        "HELPCENTER_ARTICLES_DIR": str(tree.root),
        "HELPCENTER_INSTANCE_PATH": str(tmp_path / "instance"),
        "HELPCENTER_LANGUAGES": "en",
        "HELPCENTER_CONTENT_CHECK_INTERVAL": "0",
        # Thirty customers from one loopback address: more than the address limits allow (a
        # test that turns them on: tests/test_ratelimit_workers.py).
        "HELPCENTER_RATELIMIT_ENABLED": "false",
    }
    url = new_database_url()
    if url is not None:
        env["HELPCENTER_SQLALCHEMY_DATABASE_URI"] = url
    return env


def run_check(runner, root: Path):
    """`helpcenter check ROOT` through the CLI."""
    return runner.invoke(main, ["check", str(root)], catch_exceptions=False)


# --- search on its own -------------------------------------------------------------------


class SearchFixture:
    """An article tree, its indexes and a search service, rebuilt on demand."""

    def __init__(self, tree, index_dir: Path) -> None:
        self.tree = tree
        self.indexes = IndexStore(index_dir)
        # No "nothing answers this" floor: on an index of two or three articles every IDF is
        # nearly the same, so these tests check matching; tests/search/test_floor.py checks
        # the floor on articles enough to give words their weight.
        self.service = SearchService(self.indexes, refresh_interval=0, min_score_ratio=0)

    def index(self, full: bool = False):
        catalog = load_catalog(self.tree.root, ALL)
        return {stats.lang: stats for stats in update_indexes(self.indexes, catalog, full=full)}

    def ids(self, lang: str, text: str, **options) -> list[str]:
        return [hit.id for hit in self.service.search(lang, text, **options).hits]


class WordHashEncoder:
    """A stand-in for the embedding model where the model itself is not what a test is about
    (caching, files, fallbacks): a text's vector is its folded words hashed into 384
    dimensions, normalized, so texts sharing words are similar. Counts what it embeds."""

    name = "word-hash-test-encoder"

    def __init__(self) -> None:
        self.passages_embedded: list[str] = []

    def _vector(self, text: str):
        import numpy as np

        vector = np.zeros(384, dtype=np.float32)
        for word in re.findall(r"\w+", text.casefold()):
            digest = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "big")
            vector[digest % 384] += 1.0
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector

    def query(self, text: str):
        return self._vector(text)

    def passages(self, texts):
        import numpy as np

        self.passages_embedded += texts
        return np.stack([self._vector(text) for text in texts])


def shared_embedding_cache() -> Path:
    """The embedding cache every test shares (tests/conftest.py sets it for the apps too), so
    the real model embeds a test's passages once per machine, not once per test."""
    return Path(os.environ["HELPCENTER_SEARCH_EMBEDDING_CACHE"])


class SemanticSearchFixture(SearchFixture):
    """SearchFixture with semantic search on: passages embedded with `encoder` (the real
    model unless told) through the shared cache, or through `cache` when given."""

    def __init__(self, tree, index_dir: Path, encoder=None, cache: Path | None = None) -> None:
        self.tree = tree
        self.embedder = passage_embedder(cache or shared_embedding_cache(), encoder)
        self.indexes = IndexStore(index_dir, embedder=self.embedder)
        self.service = SearchService(
            self.indexes,
            refresh_interval=0,
            min_score_ratio=0,
            semantic=semantic_search(self.indexes, encoder),
        )
        self.service.semantic.dense.refresh_interval = 0


# --- catalogs, search terms and pages ------------------------------------------------------


def catalog(lang: str) -> Catalog:
    """The committed UI catalog of `lang`."""
    with (ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def terms(lang: str, query: str) -> set[str]:
    """Every form of every word of `query` that a snippet marks."""
    return {term for variants in query_terms(lang, query) for term in variants}


def customer_pages(client, app, lang: str) -> dict[str, str]:
    """Every customer page of `lang` by URL, the feedback box after "No" and a confirmation."""
    catalog_now = services.content_store(app).catalog()
    urls = [
        f"/{lang}/",
        f"/{lang}/search?q=password",
        f"/{lang}/search?q=zzqxv",
        f"/{lang}/contact",
        f"/{lang}/contact?article=account/reset-password&reason=unclear",
        f"/{lang}/payments/nowhere",
    ]
    urls += [f"/{lang}/{category.slug}/" for category in catalog_now.category_list(lang)]
    urls += [f"/{lang}/{view.article.id}" for view in catalog_now.all_articles(lang)]
    pages = {url: client.get(url).get_data(as_text=True) for url in urls}
    # The feedback box after "No" (its own page), and the confirmation after sending a request.
    voted = f"/{lang}/feedback/account/reset-password"
    client.post(voted, data={"helpful": "no"}, headers=SAME_ORIGIN)
    pages[voted + " (after No)"] = client.get(voted).get_data(as_text=True)
    url = f"/{lang}/contact"
    data = {"csrf_token": csrf_token(client, url), "email": "a@example.com", "message": "?"}
    sent = client.post(url, data=data).headers["Location"]
    pages[sent] = client.get(sent).get_data(as_text=True)
    return pages


def staff_pages(staff, lang: str, references: list[str]) -> dict[str, str]:
    """Every staff page by URL, asked for in `lang`."""
    urls = ["/reports/", "/reports/requests/find?q=pl@example.com"]
    urls += [f"/reports/{name}" for name in REPORTS]
    urls += [f"/reports/requests/{reference}" for reference in references]
    urls += ["/reports/article/account/reset-password"]  # votes and comments of one article
    headers = {"Accept-Language": lang}
    return {url: staff.get(url, headers=headers).get_data(as_text=True) for url in urls}
