"""Rate limits counted in the database: keyed hashes instead of addresses, moving windows that
do not reset at midnight, a daily cap on acknowledgements per recipient, and what happens when
the database cannot count. (Several gunicorn workers and restarts: tests/test_ratelimit_workers.py.)"""

import datetime as dt

from sqlalchemy import func, select, text

from helpcenter import services
from helpcenter.extensions import db
from helpcenter.models import RateCount, Vote
from helpcenter.ratelimits import Rule, hit, keyed_hash
from helpcenter.web.visitor import COOKIE
from tests.helpers import (
    SAME_ORIGIN,
    SUPPORT,
    beacon,
    csrf_token,
    logged_in_staff,
    mail_app,
    make_app,
    requests,
)

CONTACT = "/en/contact"


def post_contact(client, email: str, message: str):
    data = {"csrf_token": csrf_token(client, CONTACT), "email": email, "message": message}
    return client.post(CONTACT, data=data)


def test_the_database_holds_keyed_hashes_never_an_address_or_a_visitor(tmp_path, basic):
    app = make_app(tmp_path, basic.root, RATELIMIT_ENABLED=True)
    client = app.test_client()
    address = "203.0.113.77"
    client.environ_base["REMOTE_ADDR"] = address
    assert post_contact(client, "a@example.com", "Hello").status_code == 303
    visitor = client.get_cookie(COOKIE).value
    with app.app_context():
        rows = db.session.execute(select(RateCount.bucket, RateCount.key)).all()
        stored = " ".join(f"{bucket} {key}" for bucket, key in rows)
        today = dt.datetime.now(dt.UTC).date()
        tomorrow = today + dt.timedelta(days=1)
        assert keyed_hash(f"a:{address}", today) in stored
        assert keyed_hash(f"a:{address}", tomorrow) != keyed_hash(f"a:{address}", today)
    assert {bucket for bucket, _ in rows} == {"contact/60", "contact/86400"}
    assert address not in stored and visitor not in stored


def test_a_window_reaches_back_over_midnight(app):
    rule = [Rule("contact", "5/minute", "a:198.51.100.9")]
    before_midnight = dt.datetime(2026, 11, 27, 23, 59, 40, tzinfo=dt.UTC)
    with app.test_request_context():
        assert [hit(rule, now=before_midnight) for _ in range(5)] == [None] * 5
        after = before_midnight + dt.timedelta(seconds=30)  # the next day, a new key
        assert hit(rule, now=after) == 31  # the first hit leaves the window at 00:00:41
        assert hit(rule, now=before_midnight + dt.timedelta(seconds=62)) is None


def test_a_refused_post_uses_up_nothing_and_says_when_to_come_back(tmp_path, basic):
    app = make_app(tmp_path, basic.root, RATELIMIT_ENABLED=True)
    client = app.test_client()
    codes = [post_contact(client, "a@example.com", f"Message {n}").status_code for n in range(5)]
    refused = post_contact(client, "a@example.com", "One too many")
    assert codes == [303] * 5 and refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 61
    assert "One too many" in refused.get_data(as_text=True)
    with app.app_context():
        counted = db.session.scalar(
            select(RateCount.count).where(RateCount.bucket == "contact/86400").limit(1)
        )
    assert counted == 5  # per visitor (the address has its own row); the refused post is not in it


def test_when_the_database_cannot_count_votes_pass_contact_keeps_the_text_login_says_so(
    tmp_path, basic
):
    app = make_app(tmp_path, basic.root, RATELIMIT_ENABLED=True)
    with app.app_context():
        db.session.execute(text("DROP TABLE rate_count"))  # counting now fails, storing does not
        db.session.commit()
    client = app.test_client()
    token = csrf_token(client, CONTACT)
    vote = client.post(
        "/en/feedback/account/reset-password", data={"csrf_token": token, "helpful": "yes"}
    )
    assert vote.status_code == 303  # fails open
    contact = post_contact(client, "a@example.com", "Typed before the outage")
    page = contact.get_data(as_text=True)
    assert contact.status_code == 503
    assert "Typed before the outage" in page and "could not save your message" in page
    data = {
        "csrf_token": csrf_token(client, "/login"),
        "email": "lead@example.com",
        "password": "x",
    }
    login = client.post("/login", data=data)
    assert login.status_code == 503  # fails closed: no guessing while guesses cannot be counted
    assert "Logging in is not possible just now" in login.get_data(as_text=True)
    assert 'value="lead@example.com"' in login.get_data(as_text=True)


def test_acknowledgements_per_recipient_are_capped_per_day_and_requests_still_arrive(
    tmp_path, basic, smtp
):
    smtp.start()
    app = mail_app(tmp_path, basic, smtp.port, ACKNOWLEDGEMENTS_PER_ADDRESS_PER_DAY=3)
    kicker = services.kicker(app)
    pages = []
    for number, email in enumerate(["Victim@Example.com", "victim@example.com"] * 2):
        client = app.test_client()  # a new visitor each time: the cap is per recipient
        response = post_contact(client, email, f"Request {number}")
        assert response.status_code == 303
        pages.append(client.get(response.headers["Location"]).get_data(as_text=True))
        kicker.wait()
    acknowledgements = [m for m in smtp.mailbox.messages if m["Auto-Submitted"]]
    assert len(acknowledgements) == 3
    assert len(smtp.mailbox.to(SUPPORT)) == 4  # every request reaches the team
    promised = ["confirmation by e-mail" in page for page in pages]
    assert promised == [True, True, True, False]
    last = max(requests(app), key=lambda r: r.id)
    [acknowledgement] = [d for d in last.deliveries if d.channel == "acknowledgement"]
    assert acknowledgement.state == "cancelled"
    staff_page = logged_in_staff(app).get(f"/reports/requests/{last.reference}")
    assert "3 acknowledgements a day to one address" in staff_page.get_data(as_text=True)
    other = post_contact(app.test_client(), "someone.else@example.com", "Hi")
    assert other.status_code == 303
    kicker.wait()
    assert len([m for m in smtp.mailbox.messages if m["Auto-Submitted"]]) == 4


def test_prune_deletes_counts_no_limit_looks_at(app):
    rule = [Rule("vote", "30/minute;200/day", "v:" + "b" * 32)]
    now = dt.datetime.now(dt.UTC)
    with app.test_request_context():
        assert hit(rule, now=now - dt.timedelta(days=3)) is None
        assert hit(rule, now=now) is None
    result = app.test_cli_runner().invoke(args=["prune", "--older-than", "365"])
    assert result.exit_code == 0, result.output
    assert "expired rate-limit counts deleted." in result.output  # if a hit did not already
    with app.app_context():
        kept = db.session.scalars(select(RateCount.window_start)).all()
    assert len(kept) == 2 and all(now - start < dt.timedelta(days=1) for start in kept)


def vote_no(app, address: str) -> int:
    """A "No" on an article from `address`, by a client with a new visitor cookie (from the
    article's beacon)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    assert beacon(client, "en", "payments/methods").status_code == 200
    data = {"helpful": "no", "reason": "unclear"}
    return client.post("/en/feedback/payments/methods", data=data, headers=SAME_ORIGIN).status_code


def test_no_votes_from_one_address_with_a_new_cookie_each_are_held_back(tmp_path, basic):
    """Issue 22 cast 116 "No" votes from one address in 3 seconds, a new cookie for each."""
    app = make_app(tmp_path, basic.root, RATELIMIT_ENABLED=True)
    codes = [vote_no(app, "203.0.113.66") for _ in range(20)]
    assert codes.count(303) == 10 and codes[10:] == [429] * 10
    # Nor by changing the address inside an IPv6 client's block (its /48)...
    codes = [vote_no(app, f"2001:db8:66:{n:x}::1") for n in range(40)]
    assert codes.count(303) == 30 and codes[-1] == 429
    # ...while another network votes as before.
    assert vote_no(app, "198.51.100.7") == 303
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Vote)) == 41
