"""where customers asked: the help widget and its host page

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-10 10:00:00

Searches, article views, votes and contact requests made in the help widget's panel (framed
by another site's page) say so: `source` is "widget" and `host_path` the path of the page it
was opened on (no query string), so a lead sees which screens of the product send customers
for help. Rows written before, and every row from the help center's own pages, have neither:
nothing is rewritten. A partial index per table holds the widget's rows only, by time and
host page, for the report that groups them (reports/asked_from.py).
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# Each table with the moment its reports count it by.
TABLES = {
    "search_event": "created_at",
    "page_view": "created_at",
    "vote": "updated_at",
    "contact_request": "created_at",
}


def upgrade():
    for table, moment in TABLES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("source", sa.String(length=12), nullable=True))
            batch_op.add_column(sa.Column("host_path", sa.String(length=200), nullable=True))
        only_widget = sa.text("source IS NOT NULL")
        op.create_index(
            f"ix_{table}_widget",
            table,
            [moment, "host_path"],
            sqlite_where=only_widget,
            postgresql_where=only_widget,
        )


def downgrade():
    for table in TABLES:
        op.drop_index(f"ix_{table}_widget", table_name=table)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("host_path")
            batch_op.drop_column("source")
