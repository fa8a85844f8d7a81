"""Database models. Personal data lives only in contact requests; nothing stores an IP address."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class SearchEvent(db.Model):
    """One search as a customer ran it, and the result they opened, if any."""

    __tablename__ = "search_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Made by the web process before the row exists, so result links can name it.
    key: Mapped[str] = mapped_column(String(32), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    lang: Mapped[str] = mapped_column(String(12))
    query: Mapped[str] = mapped_column(String(200))
    # The query as the index understands it (stemmed, folded terms), for grouping in reports.
    normalized: Mapped[str] = mapped_column(String(400))
    result_count: Mapped[int] = mapped_column(Integer)
    category: Mapped[str | None] = mapped_column(String(100))
    page: Mapped[int] = mapped_column(Integer, default=1)
    visitor: Mapped[str] = mapped_column(String(32))
    clicked_article: Mapped[str | None] = mapped_column(String(200))
    clicked_rank: Mapped[int | None] = mapped_column(Integer)
    clicked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_search_event_created_lang", "created_at", "lang"),
        Index("ix_search_event_normalized", "lang", "normalized"),
    )
