"""index report titles for the loader's near-duplicate check

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 17:00:00

The loader asks, once per batch of reports, which reports already carry the batch's titles (a
near-identical file of the same report: ingest/write.py). Without an index that is a scan of
core.report per batch: at 100,000 reports, half a minute of a national load.
"""
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_report_title", "report", ["title"], schema="core")


def downgrade() -> None:
    op.drop_index("ix_report_title", table_name="report", schema="core")
