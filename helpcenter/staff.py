"""Staff accounts: creating them, checking passwords, ending their sessions. Who is logged
in (the session cookie) is web/staff.py's business, next to the login views.

Passwords are hashed with scrypt (Werkzeug's default KDF, memory-hard); a login rotates the
session (a new CSRF token and a fresh cookie), so a session fixed before login is worthless.

A session is signed, so it cannot be revoked by forgetting it on the server: it names the
account's session version instead, checked on every staff request. Logging out, a new password
and disabling the account bump the version, which ends every session issued before. A login
also lasts at most STAFF_LOGIN_LIFETIME seconds from the moment the password was typed,
however busy the member of staff keeps it.
"""

from __future__ import annotations

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db
from .models import User, utcnow

MIN_PASSWORD_CHARS = 12
# Checked when the e-mail is unknown, so a wrong address costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a real password")


class AccountError(ValueError):
    pass


def create_user(email: str, password: str) -> User:
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise AccountError(f"not an e-mail address: {email!r}")
    _check_password(password)
    if db.session.scalar(select(User).where(User.email == email)):
        raise AccountError(f"{email} already has an account")
    user = User(email=email, password_hash=generate_password_hash(password))
    db.session.add(user)
    db.session.commit()
    return user


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"the password needs at least {MIN_PASSWORD_CHARS} characters")


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(email: str, password: str) -> User | None:
    """The account, if the password is right and the account is not disabled (a disabled
    account gets the same answer as a wrong password, after the same work)."""
    user = find_user(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or user.disabled_at is not None:
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def set_password(user: User, password: str) -> None:
    """A new password; every session of the account ends."""
    _check_password(password)
    user.password_hash = generate_password_hash(password)
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
