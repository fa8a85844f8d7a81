"""search score ratio

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 16:00:00

Each logged search keeps its score ratio (the best hit's score as a share of the query's best
possible score), so the "nothing answers this" floor (SEARCH_MIN_SCORE_RATIO) can be tuned on
real traffic. Searches logged before have none.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("search_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("score_ratio", sa.Float(), nullable=True))


def downgrade():
    with op.batch_alter_table("search_event", schema=None) as batch_op:
        batch_op.drop_column("score_ratio")
