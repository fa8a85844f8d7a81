"""Staff login and logout (the reports and every piece of personal data sit behind them), and
who is logged in: the session cookie names the account and its session version (see
../staff_accounts.py for why), checked on every staff request."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_timedelta
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from ..extensions import db
from ..models import User
from ..staff_accounts import attempt_login, revoke_sessions
from .forms import LoginForm, LogoutForm
from .request_limits import address_identity, limited
from .security import cookies_secure, private_page

bp = Blueprint("staff", __name__)
log = logging.getLogger(__name__)

# Per address, never per visitor cookie: a made-up cookie must not buy more guesses. Counted in
# the database (web/request_limits.py), so more workers or a restart buy no more guesses
# either. Many addresses guessing at one account are held by the account's own limit (../staff_accounts.py).
LOGIN_LIMIT = "10/minute;50/hour"


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an absolute or protocol-relative URL (open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("reports.dashboard")
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else url_for("reports.dashboard")


def log_in(user: User) -> None:
    session.clear()
    session["staff_user"] = user.id
    session["staff_version"] = user.session_version
    session["staff_since"] = int(time.time())
    session.permanent = True


def log_out() -> None:
    """Ends this session and every other session of the same account (a shared or stolen
    cookie stops working too)."""
    user = current_user()
    session.clear()
    if user is not None:
        try:
            revoke_sessions(user)
        except SQLAlchemyError:  # a read-only database: this cookie is gone all the same
            db.session.rollback()
            log.exception("could not end the other sessions of staff account %s", user.id)


def current_user() -> User | None:
    if "staff_user" not in g:
        g.staff_user = _session_user()
    return g.staff_user


def _session_user() -> User | None:
    user_id, version, since = (
        session.get(k) for k in ("staff_user", "staff_version", "staff_since")
    )
    if not all(isinstance(v, int) for v in (user_id, version, since)):
        return None
    if time.time() - since > int(current_app.config["STAFF_LOGIN_LIFETIME"]):
        return None
    user = db.session.get(User, user_id)
    if user is None or user.disabled_at is not None or user.session_version != version:
        return None
    return user


def staff_required(view: Callable) -> Callable:
    """Sends anyone not logged in to the login page (and back here after)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if current_user() is None:
            return redirect(url_for("staff.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapper


@bp.route("/login", methods=["GET", "POST"])
@private_page
# Fails closed: while the database cannot count guesses, nobody gets to guess.
@limited("login", (LOGIN_LIMIT, address_identity), fail_open=False)
def login():
    if request.method == "GET" and current_user() is not None:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    error = None
    status = 400 if request.method == "POST" else 200
    headers = {}
    if form.validate_on_submit():
        try:
            attempt = attempt_login(
                form.email.data,
                form.password.data,
                limited=current_app.config.get("RATELIMIT_ENABLED", True),
            )
        except SQLAlchemyError:
            # Recording the login needs a write; a read-only or full database refuses it.
            db.session.rollback()
            log.exception("staff login could not be recorded")
            status = 503
            error = _("Logging in is not possible just now. Please try again in a few minutes.")
        else:
            if attempt.user is not None:
                log_in(attempt.user)
                return redirect(_safe_next(request.args.get("next")), code=303)
            if attempt.locked_for:
                status, headers = 429, {"Retry-After": str(attempt.locked_for)}
                wait = format_timedelta(dt.timedelta(seconds=attempt.locked_for))
                error = _(
                    "After too many failed attempts, this account is locked for %(time)s. "
                    "Until then even the right password cannot log in.",
                    time=wait,
                )
            else:
                error = _("The e-mail address or the password is not right.")
    elif request.method == "POST" and form.csrf_token.errors:
        error = _("The form had expired or could not be checked. Please send it again.")
    return render_template("staff/login.html", form=form, error=error), status, headers


@bp.errorhandler(429)
@bp.errorhandler(503)
def login_refused(error: HTTPException):
    """Too many attempts from this network (429), or the database cannot count them (503): the
    login page says so and what to do, with the address typed kept."""
    headers = {"Retry-After": str(error.retry_after)} if getattr(error, "retry_after", None) else {}
    if request.endpoint != "staff.login":
        return render_template("errors/generic.html", error=error), error.code, headers
    if error.code == 429:
        wait = format_timedelta(dt.timedelta(seconds=int(getattr(error, "retry_after", 60) or 60)))
        error_text = _(
            "Too many login attempts from your network. Please try again in %(time)s.", time=wait
        )
    else:
        error_text = _("Logging in is not possible just now. Please try again in a few minutes.")
    return (
        render_template("staff/login.html", form=LoginForm(), error=error_text),
        error.code,
        headers,
    )


@bp.get("/staff/language/<lang:code>")
def interface_language(code: str):
    """The staff pages' language switch: remembers the choice in the same cookie the customer
    pages use (the staff pages have no language in their URL), then goes back."""
    response = redirect(_safe_next(request.args.get("next")), code=303)
    response.set_cookie(
        current_app.config["LANGUAGE_COOKIE"],
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
        secure=cookies_secure(current_app),
    )
    return response


@bp.post("/logout")
def logout():
    if not LogoutForm().validate():
        abort(400)
    log_out()
    return redirect(url_for("staff.login"), code=303)
