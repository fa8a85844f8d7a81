"""The most viewed articles of a language, from the page views the site already logs: shown
under the home page's search box and on a search that found nothing.

Counted over the last POPULAR_DAYS and kept in memory for POPULAR_CACHE_SECONDS per app and
language, so the home page costs one small grouped query every few minutes, not one per visit.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from ..content.catalog import ArticleView
from ..extensions import db
from ..models import PageView, utcnow
from .catalog_access import current_catalog

log = logging.getLogger(__name__)

POPULAR_DAYS = 30
POPULAR_CACHE_SECONDS = 600
POPULAR_SHOWN = 5


def most_viewed(lang: str, limit: int = POPULAR_SHOWN) -> list[ArticleView]:
    cache = current_app.extensions.setdefault("helpcenter_popular", {})
    expires, ids = cache.get(lang, (0.0, None))
    if ids is None or time.monotonic() >= expires:
        ids = _count(lang)
        cache[lang] = (time.monotonic() + POPULAR_CACHE_SECONDS, ids)
    catalog = current_catalog()
    views = [view for view in (catalog.find(lang, article_id) for article_id in ids) if view]
    return views[:limit]


def _count(lang: str) -> list[str]:
    since = utcnow() - dt.timedelta(days=POPULAR_DAYS)
    try:
        rows = db.session.execute(
            select(PageView.article_id, func.count().label("views"))
            .where(PageView.created_at >= since, PageView.lang == lang)
            .group_by(PageView.article_id)
            .order_by(func.count().desc(), PageView.article_id)
            .limit(POPULAR_SHOWN * 3)  # room for articles removed since they were read
        ).all()
    except SQLAlchemyError:
        # The front door opens without its "popular" list rather than not at all.
        db.session.rollback()
        log.exception("could not count the most viewed articles")
        return []
    return [article_id for article_id, _views in rows]
