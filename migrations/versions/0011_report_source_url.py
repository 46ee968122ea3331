"""where a report file came from on the web: core.report_source.source_url, source_page

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 02:30:00

`fazhi collect` saves each file with a sidecar naming its URL and, for an attachment, the page
that linked it (ingest/read/origin.py); the loader stores both here, so a figure can be traced
back to the web. core.report.source_url (since 0001) now holds the fetched URL of the file a
report was read from. Files from elsewhere leave both null.
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("report_source", sa.Column("source_url", sa.Text(), nullable=True), schema="core")
    op.add_column("report_source", sa.Column("source_page", sa.Text(), nullable=True), schema="core")


def downgrade() -> None:
    op.drop_column("report_source", "source_page", schema="core")
    op.drop_column("report_source", "source_url", schema="core")
