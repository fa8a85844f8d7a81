"""visitor days

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27 21:00:00

`rollup_visitor_day`: the visitors of each query group and article counted per last day, so a
year's distinct visitors are summed from a row per target and day rather than read a row per
visitor. Left empty here: the next `helpcenter rollup` fills it, and until then the reports
count from `rollup_visitor` as before.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "rollup_visitor_day",
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("lang", sa.String(12), nullable=False),
        sa.Column("target", sa.String(400), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("visitors", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "kind", "lang", "target", "last_day", name=op.f("pk_rollup_visitor_day")
        ),
    )


def downgrade():
    op.drop_table("rollup_visitor_day")
