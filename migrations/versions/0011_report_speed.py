"""report speed

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27 18:00:00

Indexes only. The daily roll-ups of views and clicks get an index in group order that holds
the counted column, so a year of them is summed from the index alone (no table lookup per
row, no sort for the GROUP BY); the comments written after "No" get a partial index on the
time, so the newest of them are found without reading every vote of the period.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

COMMENTED = sa.text("comment IS NOT NULL")


def upgrade():
    op.create_index("ix_view_rollup_group", "view_rollup", ["lang", "article_id", "day", "views"])
    op.create_index(
        "ix_click_rollup_group", "click_rollup", ["lang", "article_id", "day", "clicks"]
    )
    op.create_index(
        "ix_vote_comment",
        "vote",
        ["updated_at"],
        sqlite_where=COMMENTED,
        postgresql_where=COMMENTED,
    )
    # Fresh statistics, or SQLite keeps planning with the old ones and never picks the new
    # indexes.
    for table in ("view_rollup", "click_rollup", "vote"):
        op.execute(f"ANALYZE {table}")


def downgrade():
    op.drop_index("ix_vote_comment", table_name="vote")
    op.drop_index("ix_click_rollup_group", table_name="click_rollup")
    op.drop_index("ix_view_rollup_group", table_name="view_rollup")
