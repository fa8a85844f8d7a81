"""The weekly digest: once per period whatever the timer does, retried through the outbox when
the mail server is down, in each lead's language, plain text plus valid HTML."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

from sqlalchemy import update

from helpcenter import services
from helpcenter.extensions import db
from helpcenter.models import Delivery, Digest, SearchEvent
from helpcenter.support.digest import last_complete_week
from tests.helpers import (
    NOW,
    SAMPLE_CONFIG,
    Activity,
    SmtpServer,
    free_port,
    make_app,
    search_as_browser,
)

LEADS = '{"lead@example.com": "en", "kierownik@example.com": "pl"}'


def digest_app(tmp_path, basic, port: int):
    app = make_app(
        tmp_path,
        basic.root,
        MAIL_SERVER="127.0.0.1",
        MAIL_FROM="help-center@brightwood.example",
        MAIL_PORT=port,
        DIGEST_TO=LEADS,
        PUBLIC_URL="https://help.example.com",
        DELIVERY_KICK=False,
        CONFIG_FILE=SAMPLE_CONFIG,
    )
    first, _last = last_complete_week(NOW.date())
    week = dt.datetime.combine(first, dt.time(12), dt.UTC) + dt.timedelta(days=2)
    activity = Activity(app)
    for n in range(3):
        activity.search("en", "gift wrap", 0, visitor=f"w{n}", at=week)
    activity.search("pl", "prezent", 0, visitor="p", at=week)
    return app


def test_sent_once_per_period_in_each_leads_language(tmp_path, basic):
    smtp = SmtpServer(free_port())
    smtp.start()
    try:
        app = digest_app(tmp_path, basic, smtp.port)
        runner = app.test_cli_runner()
        first = runner.invoke(args=["digest", "--period", "week"])
        assert first.exit_code == 0, first.output
        assert "2 sent, 0 failed" in first.output
        again = runner.invoke(args=["digest"])
        assert again.exit_code == 0 and "No new digest" in again.output
        assert len(smtp.mailbox.messages) == 2
        with app.app_context():
            assert db.session.query(Digest).count() == 1
        [english] = smtp.mailbox.to("lead@example.com")
        [polish] = smtp.mailbox.to("kierownik@example.com")
        text = english.get_body(("plain",)).get_content()
        assert "Do this next" in text and "1. Write: gift wrap (en)" in text
        assert "3 visitors searched and found nothing (3 searches)" in text
        assert "https://help.example.com/reports/zero-results?lang=en" in text
        polish_text = polish.get_body(("plain",)).get_content()
        assert "Następne kroki" in polish_text and "Do this next" not in polish_text
        # Dates in the subject are written as the lead reads them, not as ISO.
        first, _last = last_complete_week(NOW.date())
        assert first.isoformat() not in polish["Subject"]
        assert str(first.year) in polish["Subject"] and str(first.day) in polish["Subject"]
        for message in (english, polish):
            html = message.get_body(("html",)).get_content()
            assert_valid_html(html)
    finally:
        smtp.stop()


def test_retried_through_the_outbox_when_the_mail_server_is_down(tmp_path, basic):
    port = free_port()
    app = digest_app(tmp_path, basic, port)  # nothing listens on the port yet
    runner = app.test_cli_runner()
    down = runner.invoke(args=["digest"])
    assert down.exit_code == 1 and "0 sent, 2 failed" in down.output
    with app.app_context():
        states = [(d.state, d.attempts) for d in db.session.query(Delivery)]
    assert states == [("pending", 1), ("pending", 1)]
    smtp = SmtpServer(port)
    smtp.start()
    try:
        assert "No new digest" in runner.invoke(args=["digest"]).output  # not decided twice
        retried = runner.invoke(args=["deliver", "--retry-now"])
        assert retried.exit_code == 0 and "2 sent, 0 failed" in retried.output
        assert len(smtp.mailbox.messages) == 2
        assert runner.invoke(args=["deliver", "--retry-now"]).output.startswith("0 sent")
        assert len(smtp.mailbox.messages) == 2  # never twice
    finally:
        smtp.stop()


VOID = {"meta", "br", "hr", "img", "input", "link", "wbr"}


class StrictHtml(HTMLParser):
    """Fails on what a validator would reject in such a simple page: a missing doctype or
    language, an element closed out of order or never, an unquoted or doubled attribute."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.problems: list[str] = []
        self.doctype = False
        self.seen: set[str] = set()

    def handle_decl(self, decl):
        self.doctype = decl.lower() == "doctype html"

    def handle_starttag(self, tag, attrs):
        self.seen.add(tag)
        names = [name for name, _ in attrs]
        if len(names) != len(set(names)):
            self.problems.append(f"<{tag}> repeats an attribute")
        if tag == "html" and not dict(attrs).get("lang"):
            self.problems.append("<html> has no lang")
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.open[-1:] or 'nothing'}")
        else:
            self.open.pop()


def assert_valid_html(html: str) -> None:
    parser = StrictHtml()
    parser.feed(html)
    parser.close()
    assert parser.doctype and {"html", "head", "title", "body"} <= parser.seen
    assert parser.problems == [] and parser.open == []


def search_last_week(app, address: str, query: str, *, times: int) -> None:
    """`times` searches through the site from `address`, each with a new visitor cookie, moved
    into last week (the digest's period) afterwards."""
    for _ in range(times):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        search_as_browser(client, "en", query)
    services.search_log(app).flush()
    first, _last = last_complete_week(NOW.date())
    with app.app_context():
        db.session.execute(
            update(SearchEvent).values(
                created_at=dt.datetime.combine(first, dt.time(12), dt.UTC) + dt.timedelta(days=2)
            )
        )
        db.session.commit()


def test_a_client_rotating_cookies_cannot_put_its_link_at_the_top_of_the_digest(tmp_path, basic):
    """The phishing channel of issue 22: one client, a new cookie for each of 40 searches for
    a web address, and the leads' digest (sent from the help center's own address) ranked it
    first and showed it as a link. Now it reaches one customer per network it comes from (one
    network alone is folded away: issue 26), and reads as inert text."""
    smtp = SmtpServer(free_port())
    smtp.start()
    try:
        app = make_app(
            tmp_path,
            basic.root,
            MAIL_SERVER="127.0.0.1",
            MAIL_FROM="help-center@brightwood.example",
            MAIL_PORT=smtp.port,
            DIGEST_TO="lead@example.com",
            PUBLIC_URL="https://help.example.com",
            DELIVERY_KICK=False,
            CONFIG_FILE=SAMPLE_CONFIG,
        )
        search_last_week(app, "203.0.113.66", "https://evil.example/zqxj-prize", times=39)
        search_last_week(app, "203.0.114.66", "https://evil.example/zqxj-prize", times=1)
        for n in range(3):
            search_last_week(app, f"198.51.{n}.7", "gift wrap", times=1)
        assert app.test_cli_runner().invoke(args=["digest"]).exit_code == 0
        [mail] = smtp.mailbox.to("lead@example.com")
        text = mail.get_body(("plain",)).get_content()
        html = mail.get_body(("html",)).get_content()
    finally:
        smtp.stop()
    assert "1. Write: gift wrap (en)" in text
    assert "2. Write: hxxps://evil[.]example/zqxj-prize (en)" in text
    assert "2 visitors searched and found nothing (40 searches)" in text
    assert "<bdi>hxxps://evil[.]example/zqxj-prize</bdi>" in html
    for part in (text, html):
        assert "evil.example" not in part and "https://evil" not in part
        assert "shown as hxxps://example[.]com" in part  # and says why
    assert_valid_html(html)
