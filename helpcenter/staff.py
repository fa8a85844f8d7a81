"""Staff accounts: creating them, checking passwords, and who is logged in.

Passwords are hashed with scrypt (Werkzeug's default KDF, memory-hard); a login rotates the
session (a new CSRF token and a fresh cookie), so a session fixed before login is worthless.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import g, redirect, request, session, url_for
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
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"the password needs at least {MIN_PASSWORD_CHARS} characters")
    if db.session.scalar(select(User).where(User.email == email)):
        raise AccountError(f"{email} already has an account")
    user = User(email=email, password_hash=generate_password_hash(password))
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password):
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def log_in(user: User) -> None:
    session.clear()
    session["staff_user"] = user.id
    session.permanent = True


def log_out() -> None:
    session.clear()


def current_user() -> User | None:
    if "staff_user" not in g:
        user_id = session.get("staff_user")
        g.staff_user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    return g.staff_user


def staff_required(view: Callable) -> Callable:
    """Sends anyone not logged in to the login page (and back here after)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if current_user() is None:
            return redirect(url_for("staff.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapper
