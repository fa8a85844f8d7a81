"""daily roll-ups

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 17:00:00

Daily roll-ups of the activity log for the reports (helpcenter/activity/rollups.py): searches
per day, language, query and outcome, and per day and language; visits per day and language; clicks, views and votes per day and article; each
visitor's last rolled-up day per query group or article (for exact distinct-visitor counts);
how far the roll-ups reach and which days are being redone. They start empty: until
`helpcenter rollup` has run, the reports read the raw log, as before, with the same figures.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# The tables' own columns; `day` and the grouping columns form each primary key.
STAMP = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        "search_rollup",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("lang", sa.String(length=12), nullable=False),
        sa.Column("normalized", sa.String(length=400), nullable=False),
        sa.Column("query", sa.String(length=200), nullable=False),
        sa.Column("empty", sa.Boolean(), nullable=False),
        sa.Column("clicked", sa.Boolean(), nullable=False),
        sa.Column("searches", sa.Integer(), nullable=False),
        sa.Column("first_at", STAMP, nullable=False),
        sa.Column("last_at", STAMP, nullable=False),
        sa.PrimaryKeyConstraint(
            "day", "lang", "normalized", "query", "empty", "clicked", name=op.f("pk_search_rollup")
        ),
    )
    op.create_index(
        "ix_search_rollup_group",
        "search_rollup",
        [
            "empty",
            "clicked",
            "lang",
            "normalized",
            "day",
            "searches",
            "first_at",
            "last_at",
            "query",
        ],
    )
    op.create_table(
        "search_day_rollup",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("lang", sa.String(length=12), nullable=False),
        sa.Column("searches", sa.Integer(), nullable=False),
        sa.Column("empty", sa.Integer(), nullable=False),
        sa.Column("clicked", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "lang", name=op.f("pk_search_day_rollup")),
    )
    op.create_table(
        "visit_rollup",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("lang", sa.String(length=12), nullable=False),
        sa.Column("visits", sa.Integer(), nullable=False),
        sa.Column("escalated", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "lang", name=op.f("pk_visit_rollup")),
    )
    for name, column in (("click_rollup", "clicks"), ("view_rollup", "views")):
        op.create_table(
            name,
            sa.Column("day", sa.Date(), nullable=False),
            sa.Column("lang", sa.String(length=12), nullable=False),
            sa.Column("article_id", sa.String(length=200), nullable=False),
            sa.Column(column, sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint("day", "lang", "article_id", name=op.f(f"pk_{name}")),
        )
    op.create_table(
        "vote_rollup",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("lang", sa.String(length=12), nullable=False),
        sa.Column("article_id", sa.String(length=200), nullable=False),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("votes", sa.Integer(), nullable=False),
        sa.Column("comments", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "day", "lang", "article_id", "helpful", "reason", name=op.f("pk_vote_rollup")
        ),
    )
    op.create_table(
        "rollup_visitor",
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("lang", sa.String(length=12), nullable=False),
        sa.Column("target", sa.String(length=400), nullable=False),
        sa.Column("visitor", sa.String(length=32), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint(
            "kind", "lang", "target", "visitor", name=op.f("pk_rollup_visitor")
        ),
    )
    op.create_index(
        "ix_rollup_visitor_last_day", "rollup_visitor", ["kind", "lang", "target", "last_day"]
    )
    op.create_table(
        "rollup_state",
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("through", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_rollup_state")),
    )
    op.create_table(
        "rollup_dirty",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.PrimaryKeyConstraint("day", "kind", name=op.f("pk_rollup_dirty")),
    )


def downgrade():
    op.drop_table("rollup_dirty")
    op.drop_table("rollup_state")
    op.drop_index("ix_rollup_visitor_last_day", table_name="rollup_visitor")
    op.drop_table("rollup_visitor")
    op.drop_table("vote_rollup")
    op.drop_table("view_rollup")
    op.drop_table("click_rollup")
    op.drop_table("visit_rollup")
    op.drop_table("search_day_rollup")
    op.drop_index("ix_search_rollup_group", table_name="search_rollup")
    op.drop_table("search_rollup")
