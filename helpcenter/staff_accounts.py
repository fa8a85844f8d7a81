"""Staff accounts: creating them, checking passwords, ending their sessions. Who is logged
in (the session cookie) is web/staff_login.py's business, next to the login views.

Passwords are hashed with scrypt (Werkzeug's default KDF, memory-hard); a login rotates the
session (a new CSRF token and a fresh cookie), so a session fixed before login is worthless.

A session is signed, so it cannot be revoked by forgetting it on the server: it names the
account's session version instead, checked on every staff request. Logging out, a new password
and disabling the account bump the version, which ends every session issued before. A login
also lasts at most STAFF_LOGIN_LIFETIME seconds from the moment the password was typed,
however busy the member of staff keeps it.

Guesses at one account are limited however many addresses they come from (web/staff_login.py limits
each address): failed logins per e-mail address typed are counted (ratelimits.py, keyed
hashes), and past ACCOUNT_LOGIN_LIMIT logging in to it waits, with a warning in the log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache

from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db
from .models import User, utcnow
from .ratelimits import Rule, count, forget_counts, refusal

log = logging.getLogger(__name__)

MIN_PASSWORD_CHARS = 12


def check_hash_method(method: str) -> None:
    """Refuses a STAFF_PASSWORD_HASH werkzeug cannot hash with (it would fail at the first
    account made, not at start-up)."""
    name = method.split(":", 1)[0]
    if name not in ("scrypt", "pbkdf2"):
        raise ValueError(f"{method!r} is not a password hash: use scrypt or pbkdf2:sha256")


def _hash(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["STAFF_PASSWORD_HASH"])


@cache
def _dummy_hash(method: str) -> str:
    """Checked when the e-mail is unknown, so a wrong address costs as long as a wrong
    password (hashed the way new passwords are)."""
    return generate_password_hash("not a real password", method=method)


class AccountError(ValueError):
    pass


def create_user(email: str, password: str) -> User:
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise AccountError(f"not an e-mail address: {email!r}")
    _check_password(password)
    if db.session.scalar(select(User).where(User.email == email)):
        raise AccountError(f"{email} already has an account")
    user = User(email=email, password_hash=_hash(password))
    db.session.add(user)
    db.session.commit()
    return user


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"the password needs at least {MIN_PASSWORD_CHARS} characters")


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


# Failed logins per account, a growing wait: 5 in 5 minutes lock it for the rest of those
# minutes, 10 in an hour until the hour is over, 20 in a day for the day. Only failures count
# (a lead's own logins never lock them out), and they count per e-mail address typed whether
# or not it has an account, so a lock says nothing about which addresses do. While locked, no
# password is checked, the right one neither: a guess that cannot be tried teaches nothing.
ACCOUNT_LOGIN_LIMIT = "5/5 minutes;10/hour;20/day"


@dataclass(frozen=True)
class LoginAttempt:
    """What a login attempt came to: the account, or nothing (a wrong e-mail address or
    password, or `locked_for` > 0: the account's failed logins are over the limit, and the
    password was not checked)."""

    user: User | None
    locked_for: int = 0  # seconds


def attempt_login(email: str, password: str, *, limited: bool = True) -> LoginAttempt:
    """Checks the password unless the account is locked, and counts a failure against it
    (`limited=False`: neither, as every rate limit is off with RATELIMIT_ENABLED=False)."""
    if not limited:
        return LoginAttempt(authenticate(email, password))
    failures = _login_failures(email)
    locked = refusal(failures)
    if locked is not None:
        return LoginAttempt(None, locked.retry_after)
    user = authenticate(email, password)
    if user is not None:
        return LoginAttempt(user)
    count(failures)
    locked = refusal(failures)
    if locked is not None:  # this failure locked it: what an operator alerts on
        account = find_user(email)
        log.warning(
            "login: account locked for %d s after %d failed attempts (%s)",
            locked.retry_after,
            locked.hits,
            f"staff account {account.id}" if account else "an e-mail address with no account",
        )
    return LoginAttempt(None)


def unlock_account(email: str) -> bool:
    """Lifts the lock that failed logins put on `email` (and forgets the failures, so the
    next wrong guess does not lock it again at once); True when it was locked."""
    failures = _login_failures(email)
    locked = refusal(failures) is not None
    forget_counts(failures)
    return locked


def _login_failures(email: str) -> list[Rule]:
    return [Rule("login-account", ACCOUNT_LOGIN_LIMIT, f"e:{email.strip().lower()}")]


def authenticate(email: str, password: str) -> User | None:
    """The account, if the password is right and the account is not disabled (a disabled
    account gets the same answer as a wrong password, after the same work)."""
    user = find_user(email)
    if user is None:
        check_password_hash(_dummy_hash(current_app.config["STAFF_PASSWORD_HASH"]), password)
        return None
    if not check_password_hash(user.password_hash, password) or user.disabled_at is not None:
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def set_password(user: User, password: str) -> None:
    """A new password; every session of the account ends."""
    _check_password(password)
    user.password_hash = _hash(password)
    revoke_sessions(user)


def disable_user(user: User) -> None:
    """No more logins, and every session of the account ends now."""
    user.disabled_at = user.disabled_at or utcnow()
    revoke_sessions(user)


def enable_user(user: User) -> None:
    user.disabled_at = None
    db.session.commit()


def revoke_sessions(user: User) -> None:
    user.session_version += 1
    db.session.commit()
