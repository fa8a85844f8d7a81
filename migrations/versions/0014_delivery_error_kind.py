"""delivery error kind

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-09 10:00:00

A delivery's error is carried as data: `error_kind`, a short code the outbox stores beside the
error's text (models.DELIVERY_ERRORS), so the staff page's summary no longer parses the text
back by substring. Errors stored before get their kind from that text once, here, by the rules
the summary used until now (frozen below), so their summaries read as before.
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# The substring rules of models.error_summary before 0014, in its order.
_NEEDLES = (
    ("personal data erased", "erased"),
    ("acknowledgements a day", "capped"),
    ("e-mail address cannot be used", "address"),
    ("message cannot be built", "unbuildable"),
    ("is not a plain e-mail address", "setting"),
    ("webhook answered", "webhook-status"),
    ("webhook unreachable", "webhook-unreachable"),
)
_SMTP_REPLY = re.compile(r"\((\d{3}), b")
_CONNECTION = ("Errno", "timed out", "Connection", "unreachable", "getaddrinfo", "not known")


def _kind(error: str) -> str | None:
    for needle, kind in _NEEDLES:
        if needle in error:
            return kind
    reply = _SMTP_REPLY.search(error)
    if reply and reply.group(1) in {"530", "534", "535"}:
        return "smtp-login"
    if reply is None and any(word in error for word in _CONNECTION):
        return "smtp-connection"
    if reply or "refused" in error:
        return "smtp-refused"
    return None


def upgrade():
    op.add_column("delivery", sa.Column("error_kind", sa.String(length=24), nullable=True))
    delivery = sa.table(
        "delivery",
        sa.column("id", sa.Integer),
        sa.column("last_error", sa.String),
        sa.column("error_kind", sa.String),
    )
    connection = op.get_bind()
    stored = connection.execute(
        sa.select(delivery.c.id, delivery.c.last_error).where(delivery.c.last_error.is_not(None))
    ).all()
    for row_id, error in stored:
        kind = _kind(error)
        if kind is not None:
            connection.execute(
                sa.update(delivery).where(delivery.c.id == row_id).values(error_kind=kind)
            )


def downgrade():
    with op.batch_alter_table("delivery") as batch:
        batch.drop_column("error_kind")
