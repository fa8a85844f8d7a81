"""client networks

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08 10:00:00

Searches, article views, votes and contact requests keep the client's network as a keyed hash
(`network`, see helpcenter/networks.py), so the reports' "customers reached" and the teachers
of learned words count networks, not the cookies a client chooses. Rows written before have
none and are counted by their visitor cookie, as before: nothing is rewritten, nothing lost.

The covering indexes the reports count customers from (searches and views over a date range)
take the new column, so those counts stay index-only scans.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

TABLES = ("search_event", "page_view", "vote", "contact_request")
SEARCH_REPORT = ["created_at", "lang", "page", "result_count", "normalized", "visitor"]
SEARCH_REPORT_END = ["clicked_article", "query"]
VIEW_REPORT = ["created_at", "lang", "article_id", "visitor"]


def _report_indexes(with_network: bool) -> None:
    network = ["network"] if with_network else []
    op.drop_index("ix_search_event_report", table_name="search_event")
    op.create_index(
        "ix_search_event_report", "search_event", SEARCH_REPORT + network + SEARCH_REPORT_END
    )
    op.drop_index("ix_page_view_report", table_name="page_view")
    op.create_index("ix_page_view_report", "page_view", VIEW_REPORT + network)


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("network", sa.String(length=8), nullable=True))
    _report_indexes(with_network=True)
    for table in ("search_event", "page_view"):
        op.execute(f"ANALYZE {table}")


def downgrade():
    _report_indexes(with_network=False)
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("network")
