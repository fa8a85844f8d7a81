"""weekly digest

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27 15:00:00

The weekly digest to the leads: one `digest` row per period (unique, so it is never sent twice)
and its mails as outbox deliveries. A delivery now belongs to a contact request or to a
digest, so `delivery.request_id` may be empty; every existing delivery keeps its request and
is sent as before. (Written against 0006; it does not touch `search_event`, which 0007 alters.)
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "digest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=12), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest")),
        sa.UniqueConstraint("period", "first_day", name="uq_digest_period_first_day"),
    )
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.alter_column("request_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("digest_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("recipient", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("lang", sa.String(length=12), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_delivery_digest_id_digest"),
            "digest",
            ["digest_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade():
    # Digest mails have no request to belong to: they go with their digests.
    op.execute("DELETE FROM delivery WHERE request_id IS NULL")
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_delivery_digest_id_digest"), type_="foreignkey")
        batch_op.drop_column("lang")
        batch_op.drop_column("recipient")
        batch_op.drop_column("digest_id")
        batch_op.alter_column("request_id", existing_type=sa.Integer(), nullable=False)
    op.drop_table("digest")
