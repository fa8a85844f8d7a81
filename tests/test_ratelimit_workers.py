"""Rate limits with two gunicorn workers (the shipped gunicorn.conf.py) on loopback: the limits
counted in the database hold exactly whichever worker answers, and after a restart; the
per-minute search throttle holds across workers when Flask-Limiter counts in Redis."""

from __future__ import annotations

import itertools
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from helpcenter.settings import PROJECT_ROOT
from helpcenter.web.search import SEARCH_THROTTLE
from helpcenter.web.staff_login import LOGIN_LIMIT
from helpcenter.web.support import CONTACT_LIMIT
from tests.helpers import fetch, free_port, server_env
from tests.redisserver import RedisServer

# Each test starts gunicorn with two workers, some a Redis server too.
pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
WARNING = "counts the per-minute search throttles on its own"


def per_minute(limits: str) -> int:
    return int(limits.split(";")[0].split("/")[0])


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


class Gunicorn:
    """gunicorn -c gunicorn.conf.py with two workers; the access log names the worker (pid)."""

    def __init__(self, env: dict[str, str], folder: Path) -> None:
        self.env, self.folder = env, folder
        self.access_log = folder / "access.log"
        self.error_log = folder / "error.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> str:
        port = free_port()
        # Each option beside its value, as on a command line (one item a line would split the pairs).
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", str(PROJECT_ROOT / "gunicorn.conf.py"), "-w", "2",
             "-b", f"127.0.0.1:{port}", "--access-logfile", str(self.access_log),
             "--access-logformat", "%(p)s %(m)s %(U)s %(s)s", "--error-logfile",
             str(self.error_log), "helpcenter:create_app()"],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        fetch(f"{base}/en/")
        return base

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def workers_that_answered(self, method: str, path: str) -> set[str]:
        lines = [line.split() for line in self.access_log.read_text().splitlines()]
        return {line[0] for line in lines if line[1:3] == [method, path]}


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Visitor:
    """One browser, with its own cookies (or none), never following redirects (a 303 is an
    accepted post)."""

    def __init__(self, *, cookies: bool = True) -> None:
        handlers = [urllib.request.HTTPCookieProcessor(CookieJar())] if cookies else []
        self.opener = urllib.request.build_opener(*handlers, _NoRedirects())

    def get(self, url: str) -> tuple[int, str]:
        return self._open(url)

    def post(self, url: str, fields: dict[str, str]) -> tuple[int, str]:
        page = self.opener.open(url, timeout=30).read().decode()
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        data = urllib.parse.urlencode({"csrf_token": token, **fields}).encode()
        return self._open(url, data)

    def _open(self, url: str, data: bytes | None = None) -> tuple[int, str]:
        try:
            with self.opener.open(url, data=data, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def in_waves(
    server: Gunicorn, method: str, path: str, send, *, wave: int, at_least: int = 0
) -> list[int]:
    """Sends `wave` requests at once, again until both workers have answered some (one worker
    may well take a whole wave) and at least `at_least` were sent; returns the statuses."""
    statuses: list[int] = []
    for _ in range(20):
        with ThreadPoolExecutor(max_workers=wave) as pool:
            statuses += [status for status, _ in pool.map(lambda _: send(), range(wave))]
        if len(statuses) >= at_least and len(server.workers_that_answered(method, path)) == 2:
            return statuses
    raise AssertionError(f"one worker answered every {method} {path}: nothing was shown")


@pytest.mark.database  # counted in the database: on PostgreSQL too, where locking differs
def test_database_limits_hold_across_two_workers_and_a_restart(basic, tmp_path):
    env = {**server_env(basic, tmp_path), "HELPCENTER_RATELIMIT_ENABLED": "true"}
    for command in (["db", "upgrade"], ["index"]):
        subprocess.run(
            [str(BIN / "helpcenter"), *command], env=env, check=True, capture_output=True
        )
    server = Gunicorn(env, tmp_path)
    customer, attacker = Visitor(), Visitor()
    try:
        base = server.start()
        contact, login = f"{base}/en/contact", f"{base}/login"
        customer.get(contact), attacker.get(login)  # their cookies, before they post at once
        posted = in_waves(
            server,
            "POST",
            "/en/contact",
            wave=per_minute(CONTACT_LIMIT) + 1,
            send=lambda: customer.post(contact, {"email": "a@example.com", "message": "Hi"}),
        )
        accounts = itertools.count()  # one guess an account: the address's limit, not theirs
        guesses = in_waves(
            server,
            "POST",
            "/login",
            wave=per_minute(LOGIN_LIMIT) + 2,
            send=lambda: attacker.post(
                login, {"email": f"lead{next(accounts)}@example.com", "password": "guess"}
            ),
        )
        assert WARNING in server.error_log.read_text()  # memory:// with two workers
        server.stop()
        base = server.start()  # new workers, no counts in memory
        after_contact = customer.post(
            f"{base}/en/contact", {"email": "a@example.com", "message": "Typed after the restart"}
        )
        after_login = attacker.post(f"{base}/login", {"email": "lead@example.com", "password": "x"})
    finally:
        server.stop()
    assert posted.count(303) == per_minute(CONTACT_LIMIT), posted
    assert set(posted) == {303, 429}
    assert guesses.count(400) == per_minute(LOGIN_LIMIT), guesses  # a wrong password, answered
    assert set(guesses) == {400, 429}
    assert after_contact[0] == 429 and "Typed after the restart" in after_contact[1]
    assert after_login[0] == 429


def test_search_throttle_counted_in_redis_holds_across_two_workers(basic, tmp_path, redis_server):
    env = {
        **server_env(basic, tmp_path),
        "HELPCENTER_RATELIMIT_ENABLED": "true",
        "HELPCENTER_RATELIMIT_STORAGE_URI": redis_server.url,
    }
    for command in (["db", "upgrade"], ["index"]):
        subprocess.run(
            [str(BIN / "helpcenter"), *command], env=env, check=True, capture_output=True
        )
    server = Gunicorn(env, tmp_path)
    limit = per_minute(SEARCH_THROTTLE)
    try:
        base = server.start()
        searcher = Visitor(cookies=False)  # counted per address
        statuses = in_waves(
            server,
            "GET",
            "/en/search",
            wave=8,
            at_least=limit + 20,
            send=lambda: searcher.get(f"{base}/en/search?q=password"),
        )
        keys = [key.decode() for key in redis_server.client.keys("*")]
    finally:
        server.stop()
    assert statuses.count(200) == limit, statuses
    assert set(statuses) == {200, 429}
    assert keys and not any("127.0.0.1" in key for key in keys)  # a keyed hash, not the address
    assert WARNING not in server.error_log.read_text()
