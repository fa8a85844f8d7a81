"""A mail server or helpdesk that hangs never stalls the site: the outbox holds no transaction
and no database connection while it talks to them, and bounds the whole conversation.

The servers are real sockets on loopback that accept the connection and then say nothing for
60 s (or trickle a byte at a time); the app delivers each new request from a background thread
(DELIVERY_KICK), as in production."""

from __future__ import annotations

import time

import pytest

from helpcenter import services
from helpcenter.extensions import db
from tests.helpers import (
    HangingServer,
    csrf_token,
    mail_app,
    make_app,
    requests,
    wait_until,
)

ARTICLE = "/en/account/reset-password"
# The bound: a page took 10 s (SQLite) and 39.8 s (PostgreSQL) while a send hung.
FAST = 1.0


def post_contact(client, number: int = 0):
    url = "/en/contact"
    return client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "email": f"ana{number}@example.com",
            "message": f"Request {number}: the reset link never came.",
        },
    )


def answer_time(client, url: str) -> tuple[int, float]:
    started = time.perf_counter()
    status = client.get(url).status_code
    return status, time.perf_counter() - started


def held_by_the_app(app) -> int:
    """Database connections the app holds right now: PostgreSQL sessions idle in a transaction
    (what stalled the site), or on SQLite the pool's checked-out connections."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return db.engine.pool.checkedout()
        import psycopg

        url = app.config["SQLALCHEMY_DATABASE_URI"].replace("postgresql+psycopg", "postgresql")
        with psycopg.connect(url, autocommit=True) as connection:
            return connection.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()"
            ).fetchone()[0]


def hanging_app(tmp_path, basic, server: HangingServer, channel: str):
    """The sample's site delivering to `server`, which hangs; a per-step timeout longer than
    the test, so the send stays blocked while the test looks."""
    if channel == "smtp":
        return mail_app(tmp_path, basic, server.port, MAIL_TIMEOUT=30)
    return make_app(tmp_path, basic.root, SUPPORT_WEBHOOK_URL=server.url, MAIL_TIMEOUT=30)


@pytest.mark.parametrize("channel", ["smtp", "webhook"])
def test_pages_and_healthz_answer_while_a_delivery_hangs(tmp_path, basic, channel):
    server = HangingServer(hang=60)
    try:
        app = hanging_app(tmp_path, basic, server, channel)
        client = app.test_client()
        client.get("/en/search?q=password")  # builds the indexes /healthz reads
        # Warm (templates compiled, catalog loaded): the bound below is about waiting only.
        assert client.get(ARTICLE).status_code == 200
        assert client.get("/healthz").status_code == 200
        assert post_contact(client).status_code == 303
        assert server.connected.wait(30), "the delivery never reached the server"

        # The send is in progress (the server holds the connection): the site answers at once.
        for url in (ARTICLE, "/healthz", ARTICLE, "/healthz"):
            status, seconds = answer_time(client, url)
            assert status == 200 and seconds < FAST, f"{url}: {status} in {seconds:.1f} s"
        services.search_log(app).flush()
        assert held_by_the_app(app) == 0

        # More customers write in while it hangs: every request is taken and stored.
        for number in range(1, 11):
            assert post_contact(client, number).status_code == 303
        status, seconds = answer_time(client, "/healthz")
        assert status == 200 and seconds < FAST
        assert services.search_log(app).flush()
        assert services.search_log(app).dropped == 0
        # Each request's first delivery is hanging now, and none of them holds the database.
        wait_until(lambda: server.connections == 11, "a delivery never reached the server")
        assert held_by_the_app(app) == 0
    finally:
        server.close()  # the server dies: every hanging send fails now
    services.kicker(app).wait()
    stored = requests(app)
    assert len(stored) == 11
    # Nothing lost, nothing sent twice: each delivery waits for its retry.
    for request in stored:
        for delivery in request.deliveries:
            assert (delivery.state, delivery.attempts) == ("pending", 1)
            assert delivery.last_error


@pytest.mark.parametrize("channel", ["smtp", "webhook"])
def test_a_server_that_trickles_bytes_is_cut_off_at_the_send_deadline(tmp_path, basic, channel):
    # A byte every 0.1 s: each read gets something long before the 0.5 s timeout, and the
    # line never ends; only a bound on the whole send stops it (the server would go on 60 s).
    greeting = b"220 mail.example.com " if channel == "smtp" else b"HTTP/1.1 200 OK\r\nX-Slow: "
    server = HangingServer(hang=60, trickle=greeting + b"." * 600, every=0.1)
    try:
        if channel == "smtp":
            app = mail_app(tmp_path, basic, server.port, MAIL_TIMEOUT=0.5)
        else:
            app = make_app(tmp_path, basic.root, SUPPORT_WEBHOOK_URL=server.url, MAIL_TIMEOUT=0.5)
        assert post_contact(app.test_client()).status_code == 303
        assert server.connected.wait(30)
        services.kicker(app).wait(30)  # the server would go on for 60 s
        [request] = requests(app)
        for delivery in request.deliveries:
            assert (delivery.state, delivery.attempts) == ("pending", 1)
            assert "no answer within" in delivery.last_error
    finally:
        server.close()


def test_a_delivery_being_sent_is_never_sent_again_by_another_worker(tmp_path, basic):
    server = HangingServer(hang=60)
    try:
        app = hanging_app(tmp_path, basic, server, "webhook")  # one delivery per request
        assert post_contact(app.test_client()).status_code == 303
        assert server.connected.wait(30)  # it is being sent, and hangs
        # The claim was committed before the send: a `deliver` run now leaves it alone.
        result = app.test_cli_runner().invoke(args=["deliver", "--retry-now"])
        assert result.exit_code == 0 and "0 sent, 0 failed" in result.output
        assert server.connections == 1
    finally:
        server.close()
    services.kicker(app).wait()
    [request] = requests(app)
    assert [(d.state, d.attempts) for d in request.deliveries] == [("pending", 1)]
