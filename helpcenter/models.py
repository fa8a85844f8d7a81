"""Database models. Personal data lives only in contact requests; nothing stores an IP address
(a client's network is kept as a keyed hash, see networks.py)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.expression import FunctionElement, literal_column
from sqlalchemy.types import TypeDecorator

from .extensions import db
from .labels import N_, Nn_


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator):
    """A moment in time, stored as UTC and always read back timezone-aware. PostgreSQL keeps
    the zone itself; SQLite stores text without one and would hand back naive datetimes (and
    silently drop a non-UTC offset on the way in), so every reader had to guess."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value


class seconds_before(FunctionElement):  # lower case: an SQL function, named as one
    """SQL for a UTCDateTime column's moment minus a whole number of seconds, on SQLite and
    PostgreSQL (their date arithmetic differs). On SQLite the result is text to the
    millisecond, compared as text with the stored moments: widen the margin by a second and
    decide exact boundaries in Python."""

    name = "seconds_before"
    inherit_cache = True

    def __init__(self, moment, seconds: int) -> None:
        super().__init__(moment, literal_column(str(int(seconds))))


@compiles(seconds_before, "sqlite")
def _seconds_before_sqlite(element, compiler, **kw) -> str:
    moment, seconds = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"strftime('%Y-%m-%d %H:%M:%f', {moment}, '-{seconds} seconds')"


@compiles(seconds_before, "postgresql")
def _seconds_before_postgresql(element, compiler, **kw) -> str:
    moment, seconds = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"({moment} - make_interval(secs => {seconds}))"


def customer_of(model) -> ColumnElement[str]:
    """SQL for who counts as one customer of a row of `model` (a search, view, vote or contact
    request) in reach and learning: its network key, or its visitor cookie for a row logged
    before networks were recorded (5 hex digits against 32: the two never collide)."""
    return func.coalesce(model.network, model.visitor)


# The source of a search, view, vote or contact request made in the help widget's panel, framed
# by another site's page (web/help_widget.py); a row from the help center's own pages has none.
WIDGET = "widget"
HOST_PATH_CHARS = 200


class AskedFrom:
    """Where a customer asked: `source` is WIDGET from the widget's panel, with `host_path` the
    path of the page of the embedding site (no query string or fragment: they may hold
    personal data; at most HOST_PATH_CHARS); both empty on the help center's own pages.
    A lead's report groups by them (reports/asked_from.py)."""

    source: Mapped[str | None] = mapped_column(String(12))
    host_path: Mapped[str | None] = mapped_column(String(HOST_PATH_CHARS))


def asked_from(widget_page: str | None) -> dict[str, str | None]:
    """The AskedFrom columns of a row asked from `widget_page` (a host page's path), or from
    the help center's own pages (None)."""
    return {"source": WIDGET if widget_page else None, "host_path": widget_page or None}


def _widget_index(table: str, moment: str) -> Index:
    """The rows asked from the widget, by time and host page: partial, so it holds only them
    and costs the site's own traffic nothing."""
    only_widget = text("source IS NOT NULL")
    return Index(
        f"ix_{table}_widget",
        moment,
        "host_path",
        sqlite_where=only_widget,
        postgresql_where=only_widget,
    )


class SearchEvent(AskedFrom, db.Model):
    """One search as a customer ran it, and the result they opened, if any."""

    __tablename__ = "search_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Made by the web process before the row exists, so result links can name it.
    key: Mapped[str] = mapped_column(String(32), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    lang: Mapped[str] = mapped_column(String(12))
    query: Mapped[str] = mapped_column(String(200))
    # The query as the index understands it (stemmed, folded terms), for grouping in reports.
    normalized: Mapped[str] = mapped_column(String(400))
    result_count: Mapped[int] = mapped_column(Integer)
    category: Mapped[str | None] = mapped_column(String(100))
    page: Mapped[int] = mapped_column(Integer, default=1)
    visitor: Mapped[str] = mapped_column(String(32))
    # The best hit's score as a share of the query's best possible score (the "nothing answers
    # this" floor compares it with SEARCH_MIN_SCORE_RATIO); kept to tune that floor on real
    # traffic. Empty for searches logged before it was recorded.
    score_ratio: Mapped[float | None] = mapped_column(Float)
    # Recorded before `network` was: 24 bits of a keyed hash of the address that changed every
    # UTC day. Learning still counts it for those rows (activity/learned_terms.py); new rows
    # leave it empty.
    client: Mapped[str | None] = mapped_column(String(6))
    # The client's network as a keyed hash (networks.py): many cookies and addresses of one
    # network count as one customer. Empty for rows logged before it was recorded.
    network: Mapped[str | None] = mapped_column(String(8))
    clicked_article: Mapped[str | None] = mapped_column(String(200))
    clicked_rank: Mapped[int | None] = mapped_column(Integer)
    clicked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        # Covers every report query over a date range (index-only scans, no table lookups).
        Index(
            "ix_search_event_report",
            "created_at",
            "lang",
            "page",
            "result_count",
            "normalized",
            "visitor",
            "network",
            "clicked_article",
            "query",
        ),
        Index("ix_search_event_normalized", "lang", "normalized"),
        Index("ix_search_event_visitor", "visitor", "created_at"),
        _widget_index("search_event", "created_at"),
    )


class Vote(AskedFrom, db.Model):
    """A visitor's answer to "Did this answer your question?" for one article (one per visitor
    and article: a later vote replaces the earlier one)."""

    __tablename__ = "vote"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[str] = mapped_column(String(200))
    lang: Mapped[str] = mapped_column(String(12))
    visitor: Mapped[str] = mapped_column(String(32))
    network: Mapped[str | None] = mapped_column(String(8))  # see SearchEvent.network
    helpful: Mapped[bool] = mapped_column(Boolean)
    # After "No": a reason code (feedback.REASONS) and optional free text.
    reason: Mapped[str | None] = mapped_column(String(40))
    comment: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        UniqueConstraint("visitor", "article_id", name="uq_vote_visitor_article"),
        Index("ix_vote_article", "article_id", "lang"),
        Index("ix_vote_report", "updated_at", "lang", "article_id", "helpful", "reason"),
        # The newest comments written after "No" without reading every vote of the period.
        Index(
            "ix_vote_comment",
            "updated_at",
            sqlite_where=text("comment IS NOT NULL"),
            postgresql_where=text("comment IS NOT NULL"),
        ),
        _widget_index("vote", "updated_at"),
    )


class ContactRequest(AskedFrom, db.Model):
    """A customer's message to support, with the context that led there. `email`, `name` and
    `message` (and the editable `about` line) are the only personal data the help center keeps;
    `helpcenter forget` blanks them and sets `forgotten_at`."""

    __tablename__ = "contact_request"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    lang: Mapped[str] = mapped_column(String(12))
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(100), default="")
    message: Mapped[str] = mapped_column(Text)
    about: Mapped[str] = mapped_column(String(300), default="")
    article_id: Mapped[str | None] = mapped_column(String(200))
    search_query: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(String(40))
    visitor: Mapped[str] = mapped_column(String(32))
    network: Mapped[str | None] = mapped_column(String(8))  # see SearchEvent.network
    forgotten_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    deliveries: Mapped[list[Delivery]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="Delivery.id"
    )

    __table_args__ = (
        Index("ix_contact_request_created", "created_at"),
        Index("ix_contact_request_email", "email"),
        _widget_index("contact_request", "created_at"),
    )


# "failed": the message can never be built from what the request holds; never retried.
DELIVERY_STATES = {
    "pending": N_("pending"),
    "sent": N_("sent"),
    "cancelled": N_("cancelled"),
    "failed": N_("failed"),
}


# What went wrong with a delivery, by kind: the code the outbox stores beside the error's text
# (`Delivery.error_kind`), and the words a support lead can act on. The text (for the
# technician) is English and quotes the mail server; it is never parsed back.
DELIVERY_ERRORS = {
    "erased": N_("cancelled: the customer's personal data was erased"),
    "capped": N_("not sent: too many acknowledgements to this address today"),
    "address": N_("the customer's e-mail address cannot be used"),
    "unbuildable": N_("the message could not be built"),
    "setting": N_("a mail setting is wrong"),
    "smtp-connection": N_("could not connect to the mail server"),
    "smtp-login": N_("the mail server did not accept the login"),
    "smtp-refused": N_("the mail server refused the message"),
    "webhook-status": N_("the webhook answered with an error"),
    "webhook-unreachable": N_("could not connect to the webhook"),
}
UNFORESEEN_ERROR = N_("the delivery failed")


def error_summary(kind: str | None) -> str:
    """A short localized `Label` for a delivery error of this kind ("could not connect to the
    mail server"), so staff reading in Polish or Hebrew know what happened without the raw
    text; an error nobody foresaw (no kind) is just "the delivery failed"."""
    return DELIVERY_ERRORS.get(kind or "", UNFORESEEN_ERROR)


class Delivery(db.Model):
    """One message the outbox owes: for a contact request, to the support team by e-mail or
    webhook, or the acknowledgement to the customer; or a weekly digest to one lead (then
    `digest_id`, `recipient` and `lang` are set and `request_id` is not). Retried with backoff
    until sent, unless it can never be built (then "failed", with the reason in `last_error`)."""

    __tablename__ = "delivery"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("contact_request.id", ondelete="CASCADE")
    )
    digest_id: Mapped[int | None] = mapped_column(ForeignKey("digest.id", ondelete="CASCADE"))
    recipient: Mapped[str | None] = mapped_column(String(254))
    lang: Mapped[str | None] = mapped_column(String(12))
    channel: Mapped[str] = mapped_column(String(20))  # outbox.CHANNELS
    state: Mapped[str] = mapped_column(String(12), default="pending")  # DELIVERY_STATES
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A worker owns a delivery until this time, so two workers never send the same message.
    claimed_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))
    error_kind: Mapped[str | None] = mapped_column(String(24))  # DELIVERY_ERRORS; None: unforeseen
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    request: Mapped[ContactRequest | None] = relationship(back_populates="deliveries")
    digest: Mapped[Digest | None] = relationship(back_populates="deliveries")

    @property
    def error_summary(self) -> str | None:
        return error_summary(self.error_kind) if self.last_error else None

    @property
    def subject(self) -> str:
        """What the delivery is for, in logs and the CLI: a request's reference or a digest."""
        if self.request is not None:
            return self.request.reference
        return f"digest {self.digest.first_day:%Y-%m-%d} to {self.recipient}"

    def describe(self, *, detail: bool = False) -> str:
        """ "sent", or "pending (2 attempts)" (a `Label`: translated on the report pages); with
        `detail` (for the CLI) also when the next attempt is due and the last error, or why a
        failed one failed."""
        if detail and self.state == "failed":
            return f"failed ({self.last_error})"
        if self.state != "pending" or not self.attempts:
            return DELIVERY_STATES.get(self.state, self.state)
        if not detail:
            return Nn_("pending (%(num)d attempt)", "pending (%(num)d attempts)", self.attempts)
        return (
            f"pending ({self.attempts} attempts; next {self.next_attempt_at:%H:%M:%S}; "
            f"{self.last_error})"
        )

    __table_args__ = (Index("ix_delivery_due", "state", "next_attempt_at"),)


class Digest(db.Model):
    """A weekly digest decided on for one period: the row exists once per period (unique), so
    however often `helpcenter digest` runs, the leads get each week's digest once. Its mails
    are deliveries of the outbox, retried like any other."""

    __tablename__ = "digest"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period: Mapped[str] = mapped_column(String(12))  # "week"
    first_day: Mapped[dt.date] = mapped_column(Date)
    last_day: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    deliveries: Mapped[list[Delivery]] = relationship(
        back_populates="digest", cascade="all, delete-orphan", order_by="Delivery.id"
    )

    __table_args__ = (UniqueConstraint("period", "first_day", name="uq_digest_period_first_day"),)


class User(db.Model):
    """A staff account (support leads): the only way to the reports and to personal data."""

    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Named in the session cookie; bumped on logout, a new password or disabling the account,
    # which revokes every session issued before.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    disabled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class PageView(AskedFrom, db.Model):
    """One article page shown: the demand side of the reports (views per article and language,
    visits that ended without a contact request). No IP address: the visitor cookie and the
    network's keyed hash."""

    __tablename__ = "page_view"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    lang: Mapped[str] = mapped_column(String(12))
    article_id: Mapped[str] = mapped_column(String(200))
    visitor: Mapped[str] = mapped_column(String(32))
    network: Mapped[str | None] = mapped_column(String(8))  # see SearchEvent.network
    # The reader got the source-language article because no translation exists.
    fallback: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        Index("ix_page_view_report", "created_at", "lang", "article_id", "visitor", "network"),
        _widget_index("page_view", "created_at"),
    )


class Visit(db.Model):
    """A visitor's activity on one day (any search or article view), and whether it ended in a
    contact request: the unit of the self-service rate. Kept as its own small table because
    counting distinct visitor-days over a year of raw logs is too slow for a report page."""

    __tablename__ = "visit"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    visitor: Mapped[str] = mapped_column(String(32), primary_key=True)
    # The language of the visit's first page, for the reports' language filter.
    lang: Mapped[str | None] = mapped_column(String(12))
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)


class Heartbeat(db.Model):
    """One row per writer (e.g. "healthz"), rewritten to prove the database accepts writes."""

    __tablename__ = "heartbeat"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    beat_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class RateCount(db.Model):
    """How many posts one key made in one short slice of time, for the rate limits that must
    hold across workers, nodes and restarts (ratelimits.py). The key is a keyed hash that
    changes every UTC day, never a visitor id, address or e-mail address itself."""

    __tablename__ = "rate_count"

    bucket: Mapped[str] = mapped_column(String(40), primary_key=True)
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    window_start: Mapped[dt.datetime] = mapped_column(UTCDateTime, primary_key=True)
    count: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_rate_count_window_start", "window_start"),)


class LearnedTerm(db.Model):
    """A word customers search with for an article it does not contain, taught by at least
    LEARN_MIN_VISITORS different customers (networks, see networks.py; `visitors` counts them)
    whose visit then ended well (activity/learned_terms.py).
    Derived from the anonymous search log and recomputed from it, so it shrinks as the log is
    pruned; `spelling` is the form customers typed most often (suggested as a tag)."""

    __tablename__ = "learned_term"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lang: Mapped[str] = mapped_column(String(12))
    article_id: Mapped[str] = mapped_column(String(200))
    term: Mapped[str] = mapped_column(String(40))  # as the language's analyzer makes it
    spelling: Mapped[str] = mapped_column(String(40))
    visitors: Mapped[int] = mapped_column(Integer)
    first_seen: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("lang", "article_id", "term", name="uq_learned_term_lang_article_term"),
    )


class TermVeto(db.Model):
    """A staff member's "this word does not belong to this article": the learned term is
    removed and never learned again. Kept with who decided and when."""

    __tablename__ = "term_veto"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lang: Mapped[str] = mapped_column(String(12))
    article_id: Mapped[str] = mapped_column(String(200))
    term: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()

    __table_args__ = (
        UniqueConstraint("lang", "article_id", "term", name="uq_term_veto_lang_article_term"),
    )


# Daily roll-ups of the activity log (activity/rollups.py): per UTC day and language, the counts
# each report groups by, so a report over a year adds up a few hundred rows a day instead of
# reading every logged search. They hold no visitor and no text a customer wrote beyond what the
# search log itself keeps (the query); `prune` deletes them with the raw rows of the same days.


class SearchRollup(db.Model):
    """First-page searches of one day, per query as typed: `empty` (nothing found) and
    `clicked` (a result was opened) as the reports split them."""

    __tablename__ = "search_rollup"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    lang: Mapped[str] = mapped_column(String(12), primary_key=True)
    normalized: Mapped[str] = mapped_column(String(400), primary_key=True)
    query: Mapped[str] = mapped_column(String(200), primary_key=True)
    empty: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    clicked: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    searches: Mapped[int] = mapped_column(Integer)
    first_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        # Query groups over a date range in group order, from the index alone.
        Index(
            "ix_search_rollup_group",
            "empty",
            "clicked",
            "lang",
            "normalized",
            "day",
            "searches",
            "first_at",
            "last_at",
            "query",
        ),
    )


class SearchDayRollup(db.Model):
    """First-page searches of one day and language (with words or not), how many found
    nothing and how many were clicked: the headline numbers and the charts."""

    __tablename__ = "search_day_rollup"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    lang: Mapped[str] = mapped_column(String(12), primary_key=True)
    searches: Mapped[int] = mapped_column(Integer)
    empty: Mapped[int] = mapped_column(Integer)
    clicked: Mapped[int] = mapped_column(Integer)


class VisitRollup(db.Model):
    """Visits of one day by the language they began in ("" when unknown), and how many ended
    in a contact request: the self-service rate."""

    __tablename__ = "visit_rollup"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    lang: Mapped[str] = mapped_column(String(12), primary_key=True)
    visits: Mapped[int] = mapped_column(Integer)
    escalated: Mapped[int] = mapped_column(Integer)


class ClickRollup(db.Model):
    """Search results opened on one day (any results page), per article: demand for it."""

    __tablename__ = "click_rollup"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    lang: Mapped[str] = mapped_column(String(12), primary_key=True)
    article_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    clicks: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_click_rollup_group", "lang", "article_id", "day", "clicks"),)


class ViewRollup(db.Model):
    """Article pages shown on one day, per article and language."""

    __tablename__ = "view_rollup"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    lang: Mapped[str] = mapped_column(String(12), primary_key=True)
    article_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    views: Mapped[int] = mapped_column(Integer)

    # A period's views per article summed from the index alone, in group order.
    __table_args__ = (Index("ix_view_rollup_group", "lang", "article_id", "day", "views"),)


class VoteRollup(db.Model):
    """Votes by the day they were last cast, per article, answer and reason ("" for none);
    `comments`: how many of them carry words written after "No"."""

    __tablename__ = "vote_rollup"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    lang: Mapped[str] = mapped_column(String(12), primary_key=True)
    article_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    helpful: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    reason: Mapped[str] = mapped_column(String(40), primary_key=True)
    votes: Mapped[int] = mapped_column(Integer)
    comments: Mapped[int] = mapped_column(Integer)


class RollupVisitor(db.Model):
    """The first and last rolled-up days on which a customer searched a query group with a
    given outcome (kind "empty" or "unclicked", `target` the normalized query) or read an
    article (kind "read", `target` the article id). `visitor` holds the customer as
    `customer_of` names them: the network key, or the visitor cookie of rows logged before
    networks were. Distinct customers cannot be added up across days; "who was active on or
    after day D" can be counted from this exactly, and "who was active between days A and B"
    too, reading the raw log only for customers active both before A and after B
    (activity/rollups.py)."""

    __tablename__ = "rollup_visitor"

    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    lang: Mapped[str] = mapped_column(String(12), primary_key=True)
    target: Mapped[str] = mapped_column(String(400), primary_key=True)
    visitor: Mapped[str] = mapped_column(String(32), primary_key=True)
    first_day: Mapped[dt.date] = mapped_column(Date)
    last_day: Mapped[dt.date] = mapped_column(Date)

    __table_args__ = (
        Index("ix_rollup_visitor_last_day", "kind", "lang", "target", "last_day"),
        Index("ix_rollup_visitor_first_day", "kind", "first_day"),
    )


class RollupVisitorDay(db.Model):
    """How many visitors have each pair of first and last rolled-up days (per kind, language
    and target): `RollupVisitor` counted per pair of days. "Who was active on or after day D"
    is then a sum over a row per target and pair of days instead of a row per visitor (most
    visitors of a group come on one day only, so pairs are few). Derived: rebuilt by
    the roll-up run whenever `RollupVisitor` changed, and used only while the `visitor-days`
    row of `RollupState` says it matches the roll-ups' edge (activity/rollups.py)."""

    __tablename__ = "rollup_visitor_day"

    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    lang: Mapped[str] = mapped_column(String(12), primary_key=True)
    target: Mapped[str] = mapped_column(String(400), primary_key=True)
    first_day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    last_day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    visitors: Mapped[int] = mapped_column(Integer)


class RollupState(db.Model):
    """How far the roll-ups reach: every day before `through` is rolled up (row "rollups"),
    and the edge `RollupVisitorDay` was last counted at (row "visitor-days")."""

    __tablename__ = "rollup_state"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    through: Mapped[dt.date] = mapped_column(Date)


class RollupDirty(db.Model):
    """A day whose raw rows changed after it may have been rolled up (a late click, a changed
    vote, an erased comment, a prune): reports read that day from the raw log until `rollup`
    has redone it. Kinds: "search", "view", "vote", "visit"."""

    __tablename__ = "rollup_dirty"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
