"""visitor days

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27 21:00:00

Distinct visitors over long periods without reading a row per visitor:

- `rollup_visitor` also keeps each visitor's *first* rolled-up day per query group and article
  (and an index on it), so a period that ended in the past can be counted from it too;
- `rollup_visitor_day` counts those visitors per (first day, last day), so a year's distinct
  visitors are summed from a row per target and pair of days.

`rollup_visitor` is derived data: it is emptied here, and one day of searches and of views is
marked to be redone, which makes the next `helpcenter rollup` recount it from the raw log.
Until then the reports count from the raw log, exactly, as for any day being redone;
`rollup_visitor_day` is filled by that run too.
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def _visitor_table(first_day: bool) -> None:
    op.create_table(
        "rollup_visitor",
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("lang", sa.String(length=12), nullable=False),
        sa.Column("target", sa.String(length=400), nullable=False),
        sa.Column("visitor", sa.String(length=32), nullable=False),
        *([sa.Column("first_day", sa.Date(), nullable=False)] if first_day else []),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint(
            "kind", "lang", "target", "visitor", name=op.f("pk_rollup_visitor")
        ),
    )
    op.create_index(
        "ix_rollup_visitor_last_day", "rollup_visitor", ["kind", "lang", "target", "last_day"]
    )
    if first_day:
        op.create_index("ix_rollup_visitor_first_day", "rollup_visitor", ["kind", "first_day"])


def _recount_visitors() -> None:
    """Marks the last rolled-up day of searches and views dirty: the next roll-up run redoes
    it and then recounts every visitor's days from the raw log."""
    bind = op.get_bind()
    through = bind.execute(
        sa.text("SELECT through FROM rollup_state WHERE name = 'rollups'")
    ).scalar()
    if through is None:
        return
    if isinstance(through, str):  # SQLite hands dates back as text
        through = dt.date.fromisoformat(through)
    day = through - dt.timedelta(days=1)
    for kind in ("search", "view"):
        bind.execute(
            sa.text("INSERT INTO rollup_dirty (day, kind) VALUES (:day, :kind)"),
            {"day": day, "kind": kind},
        )


def upgrade():
    op.drop_index("ix_rollup_visitor_last_day", table_name="rollup_visitor")
    op.drop_table("rollup_visitor")
    _visitor_table(first_day=True)
    op.create_table(
        "rollup_visitor_day",
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("lang", sa.String(length=12), nullable=False),
        sa.Column("target", sa.String(length=400), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("visitors", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "kind",
            "lang",
            "target",
            "first_day",
            "last_day",
            name=op.f("pk_rollup_visitor_day"),
        ),
    )
    _recount_visitors()


def downgrade():
    op.drop_table("rollup_visitor_day")
    op.drop_index("ix_rollup_visitor_first_day", table_name="rollup_visitor")
    op.drop_index("ix_rollup_visitor_last_day", table_name="rollup_visitor")
    op.drop_table("rollup_visitor")
    _visitor_table(first_day=False)
    _recount_visitors()
