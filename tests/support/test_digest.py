"""The weekly digest: the first covers the last 7 days up to its run, each later one a complete
week, once per period whatever the timer does; retried through the outbox when the mail
server is down; in each lead's language with its period in words (numbers isolated in
Hebrew), plain text plus valid HTML; answers go to the leads."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

from flask_babel import force_locale
from sqlalchemy import update

from helpcenter import services
from helpcenter.extensions import db
from helpcenter.models import Delivery, Digest, SearchEvent
from helpcenter.support.digest import period_in_words, schedule_digest
from tests.helpers import (
    SUPPORT,
    Activity,
    SmtpServer,
    days_ago,
    free_port,
    mail_app,
    search_as_browser,
)

LEADS = '{"lead@example.com": "en", "kierownik@example.com": "pl"}'


def first_period() -> tuple[dt.date, dt.date]:
    """The first digest's period: the last 7 days up to the run (today, in UTC, included).
    Read when the digest runs, never at import: a suite crossing midnight would disagree."""
    today = dt.datetime.now(dt.UTC).date()
    return today - dt.timedelta(days=6), today


def leads_app(tmp_path, basic, port: int, leads: str = LEADS, **config):
    """The sample's site mailing its digest to `leads` through the SMTP server on `port`."""
    return mail_app(tmp_path, basic, port, DIGEST_TO=leads, DELIVERY_KICK=False, **config)


def digest_app(tmp_path, basic, port: int, leads: str = LEADS):
    app = leads_app(tmp_path, basic, port, leads)
    # This week's searches: a new install's first digest has them (not an empty week before).
    activity = Activity(app)
    for n in range(3):
        activity.search("en", "gift wrap", 0, visitor=f"w{n}", at=days_ago(0))
    activity.search("pl", "prezent", 0, visitor="p", at=days_ago(1))
    return app


def test_sent_once_per_period_in_each_leads_language(tmp_path, basic):
    smtp = SmtpServer(free_port())
    smtp.start()
    try:
        app = digest_app(tmp_path, basic, smtp.port)
        runner = app.test_cli_runner()
        first_day, last_day = first_period()
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
        # The period in words, as the lead reads them, not as ISO.
        with app.test_request_context(), force_locale("pl"):
            in_polish = period_in_words(first_day, last_day)
        assert polish["Subject"].endswith(f"podsumowanie za okres {in_polish}")
        assert f"Podsumowanie za okres {in_polish}" in polish_text
        assert first_day.isoformat() not in polish["Subject"]
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


def search_this_week(app, address: str, query: str, *, times: int) -> None:
    """`times` searches through the site from `address`, each with a new visitor cookie, moved
    two days back (into the first digest's period) afterwards."""
    for _ in range(times):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        search_as_browser(client, "en", query)
    services.search_log(app).flush()
    with app.app_context():
        db.session.execute(update(SearchEvent).values(created_at=days_ago(2)))
        db.session.commit()


def test_a_client_rotating_cookies_cannot_put_its_link_at_the_top_of_the_digest(tmp_path, basic):
    """The phishing channel of issue 22: one client, a new cookie for each of 40 searches for
    a web address, and the leads' digest (sent from the help center's own address) ranked it
    first and showed it as a link. Now it reaches one customer per network it comes from (one
    network alone is folded away: issue 26), and reads as inert text."""
    smtp = SmtpServer(free_port())
    smtp.start()
    try:
        app = leads_app(tmp_path, basic, smtp.port, "lead@example.com")
        search_this_week(app, "203.0.113.66", "https://evil.example/zqxj-prize", times=39)
        search_this_week(app, "203.0.114.66", "https://evil.example/zqxj-prize", times=1)
        for n in range(3):
            search_this_week(app, f"198.51.{n}.7", "gift wrap", times=1)
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


def test_the_first_digest_covers_the_last_seven_days_up_to_the_run(tmp_path, basic):
    """A new install's first mail was all zeros: it covered the complete week before the run.
    Today's searches are in it now, and the period says so in words."""
    smtp = SmtpServer(free_port())
    smtp.start()
    try:
        app = digest_app(tmp_path, basic, smtp.port, leads="lead@example.com")
        first_day, last_day = first_period()
        result = app.test_cli_runner().invoke(args=["digest"])
        assert result.exit_code == 0, result.output
        assert f"Digest for {first_day} to {last_day}: 1 sent" in result.output
        [mail] = smtp.mailbox.to("lead@example.com")
    finally:
        smtp.stop()
    with app.test_request_context(), force_locale("en"):
        words = period_in_words(first_day, last_day)
    text = mail.get_body(("plain",)).get_content()
    assert text.startswith(f"Digest for {words}\n")
    # The subject is one line of ordinary spaces (typed_text.one_line).
    assert mail["Subject"].endswith(f"digest: {words}".replace("\u2009", " "))
    assert "3 visitors searched and found nothing (3 searches)" in text
    assert f"since={first_day}&until={last_day}" in text


def test_later_digests_cover_each_complete_week_once(tmp_path, basic):
    app = digest_app(tmp_path, basic, free_port())
    wednesday = dt.date(2026, 12, 9)
    with app.app_context():
        first = schedule_digest(wednesday)
        assert (first.first_day, first.last_day) == (dt.date(2026, 12, 3), wednesday)
        # The complete week before ended before the first digest's period did: nothing due.
        assert schedule_digest(wednesday + dt.timedelta(days=1)) is None
        monday = dt.date(2026, 12, 14)
        week = schedule_digest(monday)
        assert (week.first_day, week.last_day) == (dt.date(2026, 12, 7), dt.date(2026, 12, 13))
        assert schedule_digest(monday) is None and schedule_digest(monday.replace(day=20)) is None
        following = schedule_digest(dt.date(2026, 12, 21))
        assert (following.first_day, following.last_day) == (
            dt.date(2026, 12, 14),
            dt.date(2026, 12, 20),
        )


def test_the_period_is_said_in_words_in_each_language(app):
    first, last = dt.date(2026, 11, 30), dt.date(2026, 12, 6)
    expected = {
        "en": "November 30\u2009–\u2009December 6, 2026",
        "pl": "30 listopada–6 grudnia 2026",
        "he": "30 בנובמבר – 6 בדצמבר 2026",
        "hr": "30. studenoga\u2009–\u20096. prosinca 2026.",
        "lt": "2026 lapkričio 30\u2009–\u2009gruodžio 6",
        "el": "30 Νοεμβρίου – 6 Δεκεμβρίου 2026",
    }
    with app.test_request_context():
        for lang, words in expected.items():
            with force_locale(lang):
                assert period_in_words(first, last) == words
        with force_locale("en"):  # the year said once, or twice when it differs
            assert period_in_words(dt.date(2026, 12, 1), dt.date(2026, 12, 7)) == (
                "December 1\u2009–\u20097, 2026"
            )
            assert period_in_words(dt.date(2026, 12, 28), dt.date(2027, 1, 3)) == (
                "December 28, 2026\u2009–\u2009January 3, 2027"
            )


def test_in_the_hebrew_digest_numbers_never_run_into_the_words_beside_them(tmp_path, basic):
    """Right to left, a number beside the "previous period" text and a signed change is laid
    out with them: each is isolated left to right (U+2066 … U+2069), as on the staff pages."""
    smtp = SmtpServer(free_port())
    smtp.start()
    try:
        app = digest_app(tmp_path, basic, smtp.port, leads='{"menahel@example.com": "he"}')
        Activity(app).search("he", "סיסמה", 2, visitor="h", at=days_ago(9))  # period before
        assert app.test_cli_runner().invoke(args=["digest"]).exit_code == 0
        [mail] = smtp.mailbox.to("menahel@example.com")
    finally:
        smtp.stop()
    text = mail.get_body(("plain",)).get_content()
    searches = next(line for line in text.splitlines() if line.startswith("חיפושים:"))
    # 4 searches this week, 1 the week before: the value, then the signed change, isolated.
    assert searches.startswith("חיפושים: \u20664\u2069 · \u2066")
    assert "+300%\u2069 (התקופה הקודמת: 1)" in searches
    html = mail.get_body(("html",)).get_content()
    assert "<strong>\u20664\u2069</strong>" in html


def test_replies_to_the_digest_reach_the_leads_not_the_support_inbox(tmp_path, basic):
    smtp = SmtpServer(free_port())
    smtp.start()
    try:
        app = digest_app(tmp_path, basic, smtp.port)
        assert app.config["SUPPORT_EMAIL"] == SUPPORT  # the customers' inbox is configured
        assert app.test_cli_runner().invoke(args=["digest"]).exit_code == 0
        mails = smtp.mailbox.messages
    finally:
        smtp.stop()
    assert len(mails) == 2
    for mail in mails:
        replies = {address.addr_spec for address in mail["Reply-To"].addresses}
        assert replies == {"lead@example.com", "kierownik@example.com"}


def test_the_digest_lists_what_the_staff_page_lists(tmp_path, basic):
    """ "Do this next" in the leads' mail is the staff page's: the same customers' floor (the
    operator's ACTIONS_MIN_CUSTOMERS) and the same search, which merges typos of one topic."""
    smtp = SmtpServer(free_port())
    smtp.start()
    try:
        app = leads_app(tmp_path, basic, smtp.port, "lead@example.com", ACTIONS_MIN_CUSTOMERS=3)
        for n, spelling in enumerate(("klarna", "klarnna", "klarna")):
            search_this_week(app, f"198.51.{n}.7", spelling, times=1)
        for n in range(2):
            search_this_week(app, f"203.0.{n}.9", "gift wrap", times=1)
        assert app.test_cli_runner().invoke(args=["digest"]).exit_code == 0
        [mail] = smtp.mailbox.to("lead@example.com")
        text = mail.get_body(("plain",)).get_content()
    finally:
        smtp.stop()
    assert "1. Write: klarna (en)" in text  # three customers in two spellings
    assert "Write: gift wrap" not in text  # two customers: below the operator's floor
