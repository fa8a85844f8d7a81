"""Staff login guessed at from many addresses: the account's own limit on failed logins holds
them, with a growing wait, a warning an operator can alert on, and the right password waiting
too while it lasts. (One address's limit: tests/reports/test_access.py.)"""

import datetime as dt
import logging
import re

import pytest
from limits import parse_many

from helpcenter.config_file import ConfigFileError
from helpcenter.models import utcnow
from helpcenter.ratelimits import Rule, count, refusal
from helpcenter.settings import SETTINGS
from helpcenter.staff_accounts import ACCOUNT_LOGIN_LIMIT, create_user
from tests.helpers import csrf_token, make_app

PASSWORD = "correct horse battery"
DEFAULT_HASH = next(s.default for s in SETTINGS if s.name == "STAFF_PASSWORD_HASH")
ALLOWED = parse_many(ACCOUNT_LOGIN_LIMIT)[0].amount  # failed logins before the first wait


def attempt(app, address: str, email: str, password: str = "not the password"):
    """A login from a client of its own at `address`, as a browser posts the form."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    data = {"csrf_token": csrf_token(client, "/login"), "email": email, "password": password}
    return client.post("/login", data=data)


def site_with_two_leads(tmp_path, basic):
    app = make_app(tmp_path, basic.root, RATELIMIT_ENABLED=True)
    with app.app_context():
        create_user("lead@example.com", PASSWORD)
        create_user("other@example.com", PASSWORD)
    return app


def test_twelve_addresses_guessing_one_account_are_refused_after_its_limit(tmp_path, basic, caplog):
    app = site_with_two_leads(tmp_path, basic)
    with caplog.at_level(logging.WARNING, logger="helpcenter.staff_accounts"):
        answers = [attempt(app, f"198.51.100.{n}", "lead@example.com") for n in range(12)]
    assert [a.status_code for a in answers] == [400] * ALLOWED + [429] * (12 - ALLOWED)
    refused = answers[-1]
    assert 1 <= int(refused.headers["Retry-After"]) <= 5 * 60 + 5
    page = refused.get_data(as_text=True)
    assert "this account is locked for 5 minutes" in page
    assert "even the right password cannot log in" in page

    locks = [r for r in caplog.records if "account locked" in r.getMessage()]
    assert len(locks) == 1 and locks[0].levelno == logging.WARNING
    message = locks[0].getMessage()
    assert re.fullmatch(
        rf"login: account locked for \d+ s after {ALLOWED} failed attempts \(staff account \d+\)",
        message,
    )
    assert "198.51.100" not in message and "not the password" not in message

    # While it lasts, the right password waits too; another account is not affected.
    assert attempt(app, "203.0.113.5", "lead@example.com", PASSWORD).status_code == 429
    assert attempt(app, "203.0.113.5", "Other@Example.com", PASSWORD).status_code == 303


def test_a_lead_s_own_logins_never_count_against_the_account(tmp_path, basic):
    app = site_with_two_leads(tmp_path, basic)
    for n in range(ALLOWED + 2):
        assert attempt(app, f"192.0.2.{n}", "lead@example.com", PASSWORD).status_code == 303
    for n in range(ALLOWED - 1):
        assert attempt(app, f"192.0.2.{100 + n}", "lead@example.com").status_code == 400
    assert attempt(app, "192.0.2.200", "lead@example.com", PASSWORD).status_code == 303


def test_an_address_without_an_account_is_locked_the_same_way(tmp_path, basic):
    """A lock tells a guesser nothing about which addresses have an account."""
    app = site_with_two_leads(tmp_path, basic)
    codes = [attempt(app, f"198.51.100.{n}", "nobody@example.com").status_code for n in range(7)]
    assert codes == [400] * ALLOWED + [429] * (7 - ALLOWED)


def test_the_wait_grows_with_the_failures(app):
    """Past the first limit the account waits out its minutes; past the hour's, the hour."""
    failures = [Rule("login-account", ACCOUNT_LOGIN_LIMIT, "e:lead@example.com")]
    start = utcnow().replace(microsecond=0)
    with app.test_request_context():
        for _ in range(ALLOWED):
            count(failures, now=start)
        first = refusal(failures, now=start)
        later = start + dt.timedelta(minutes=6)  # the first wait is over
        assert refusal(failures, now=later) is None
        for _ in range(ALLOWED):
            count(failures, now=later)
        second = refusal(failures, now=later)
    assert first is not None and first.retry_after <= 5 * 60 + 5
    assert second is not None and second.retry_after > 50 * 60


def test_an_operator_lifts_a_lock_at_once_with_unlock_user(tmp_path, basic):
    """A lead locked out by someone else's guesses is let in again by `helpcenter unlock-user`,
    and the forgotten failures do not lock the account again at the next wrong guess."""
    app = site_with_two_leads(tmp_path, basic)
    for n in range(ALLOWED):
        attempt(app, f"198.51.100.{n}", "lead@example.com")
    assert attempt(app, "203.0.113.5", "lead@example.com", PASSWORD).status_code == 429

    runner = app.test_cli_runner()
    unlocked = runner.invoke(args=["unlock-user", "Lead@Example.com"])
    assert unlocked.exit_code == 0 and "can log in again now" in unlocked.output
    assert attempt(app, "198.51.100.77", "lead@example.com").status_code == 400
    assert attempt(app, "203.0.113.5", "lead@example.com", PASSWORD).status_code == 303

    again = runner.invoke(args=["unlock-user", "lead@example.com"])
    assert again.exit_code == 0 and "was not locked" in again.output


def test_staff_passwords_are_hashed_with_scrypt_unless_the_operator_says(tmp_path, basic):
    """The suite logs in with a cheap hash (tests/helpers.py); a site does not. An operator who
    moves to pbkdf2 (FIPS) keeps every account made before the change."""
    app = make_app(tmp_path, basic.root, STAFF_PASSWORD_HASH=DEFAULT_HASH)
    with app.app_context():
        stored = create_user("lead@example.com", PASSWORD).password_hash
    assert stored.startswith("scrypt:")
    app.config["STAFF_PASSWORD_HASH"] = "pbkdf2:sha256:600000"
    with app.app_context():
        newer = create_user("other@example.com", PASSWORD).password_hash
    assert newer.startswith("pbkdf2:sha256:600000$")
    for email in ("lead@example.com", "other@example.com"):
        assert attempt(app, "127.0.0.9", email, PASSWORD).status_code == 303
        assert attempt(app, "127.0.0.9", email).status_code == 400  # the wrong password


def test_a_password_hash_werkzeug_cannot_make_is_refused_at_start_up(tmp_path, basic):
    with pytest.raises(ConfigFileError, match="staff_password_hash: 'md5' is not a password hash"):
        make_app(tmp_path, basic.root, STAFF_PASSWORD_HASH="md5")
