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


def _rate_limit_key() -> str:
    """Per visitor, or per address for clients without a cookie (web/limits.py)."""
    from .web.limits import visitor_or_address_key

    return visitor_or_address_key()


# Cheap per-minute throttles of the endpoints anyone can call in a loop (searches), counted in
# RATELIMIT_STORAGE_URI: memory is per worker, several nodes need Redis. The limits on posts that
# reach a human or guess a password are counted in the database instead (ratelimits.py).
limiter = Limiter(key_func=_rate_limit_key, default_limits=[], headers_enabled=True)
