"""readers confined by rights alone: no large objects, no temp tables, nothing created in public

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 00:30:00

Reader roles (fazhi grant-reader) were read-only through default_transaction_read_only, which
a reader can switch off: then it could write large objects of any size (lo_from_bytea,
lo_create... are PUBLIC's by default). Warehouses that have readers lose those rights for
PUBLIC here, as grant-reader now does; the database's owner and the writer keep them. Nothing
changes in a warehouse without readers (its first grant-reader does it).
"""
from alembic import op
from sqlalchemy import text

from fazhi.warehouse.roles import LARGE_OBJECT_FUNCTIONS, READERS_GROUP, confine_database

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    if conn.execute(text("select 1 from pg_roles where rolname = :g"), {"g": READERS_GROUP}).first():
        confine_database(conn)


def downgrade() -> None:
    # Postgres' default: every role may use large objects (TEMP and public stay revoked, as
    # grant-reader did before this revision).
    conn = op.get_bind()
    for function in conn.execute(text(LARGE_OBJECT_FUNCTIONS)).scalars().all():
        conn.execute(text(f"grant execute on function {function} to public"))
