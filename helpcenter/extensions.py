"""Flask extensions, created once here and bound to an app in create_app."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData

# Named constraints, so migrations can alter them on every database (SQLite included).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

babel = Babel()
db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
migrate = Migrate()


def address_key() -> str:
    """The client's address (behind proxies: see PROXY_COUNT). Only held in the limiter's
    counters, never stored."""
    from flask import request

    return f"a:{request.remote_addr}"


def _rate_limit_key() -> str:
    """Per visitor: the anonymous visitor cookie, or (for clients that drop cookies) the
    address. A made-up cookie gets a fresh allowance, so the endpoints add a wider limit per
    address too."""
    from flask import request

    from .web.visitor import COOKIE, is_valid_visitor

    visitor = request.cookies.get(COOKIE, "")
    return f"v:{visitor}" if is_valid_visitor(visitor) else address_key()


limiter = Limiter(key_func=_rate_limit_key, default_limits=[], headers_enabled=True)
