"""learned terms

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 16:30:00

Words customers use for an article (learned from the anonymous search log, recomputed from it)
and the staff's vetoes of such words: two new tables. The search log gets a coarse client key
(`search_event.client`, empty for the searches logged before), so one address cannot teach
alone with many cookies.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("search_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client", sa.String(length=6), nullable=True))
    op.create_table(
        "learned_term",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(length=12), nullable=False),
        sa.Column("article_id", sa.String(length=200), nullable=False),
        sa.Column("term", sa.String(length=40), nullable=False),
        sa.Column("spelling", sa.String(length=40), nullable=False),
        sa.Column("visitors", sa.Integer(), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learned_term")),
        sa.UniqueConstraint("lang", "article_id", "term", name="uq_learned_term_lang_article_term"),
    )
    op.create_table(
        "term_veto",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(length=12), nullable=False),
        sa.Column("article_id", sa.String(length=200), nullable=False),
        sa.Column("term", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["staff_user.id"], name=op.f("fk_term_veto_user_id_staff_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_term_veto")),
        sa.UniqueConstraint("lang", "article_id", "term", name="uq_term_veto_lang_article_term"),
    )


def downgrade():
    op.drop_table("term_veto")
    op.drop_table("learned_term")
    with op.batch_alter_table("search_event", schema=None) as batch_op:
        batch_op.drop_column("client")
