"""shared rate limits

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 10:00:00

Counters for the rate limits on contact posts, votes, acknowledgements and staff logins, in the
database every worker and node shares, so the limits hold across workers and restarts (they
lived in each worker's memory). Keys are keyed hashes that change daily, never an address.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "rate_count",
        sa.Column("bucket", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("bucket", "key", "window_start", name=op.f("pk_rate_count")),
    )
    op.create_index("ix_rate_count_window_start", "rate_count", ["window_start"], unique=False)


def downgrade():
    op.drop_index("ix_rate_count_window_start", table_name="rate_count")
    op.drop_table("rate_count")
