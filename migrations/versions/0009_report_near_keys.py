"""near-duplicate keys: the loader compares a new report with a handful of candidates

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 01:00:00

The loader took another file of a loaded report (a page and its PDF) for what it is by comparing
its text with every report under the same title, place and year: quadratic where many share
them (versions of one report, a national corpus of department reports under one generic title
and no place). `report_near_key` (ingest/load/identity.py: near_keys) holds a report's keys, one
per LSH band of the text's MinHash, bound to title, year, place and figures; its b-tree finds the
reports sharing a key, and only those are compared. (An array column with GIN was tried: a batch
asks for some 5,000 keys, which GIN answered in 1 s at 5,000 reports, Postgres scanning every row
when left to plan it.) Reports loaded before this revision get their keys here, from their stored
text and figures.
"""
import hashlib
import re

import numpy as np
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# As ingest.load.identity at this revision (copied: a migration must not change with the code).
_SHINGLE, BANDS, ROWS = 12, 24, 4
_BINS = BANDS * ROWS
_CHUNK = 1 << 20
_U32 = np.uint64(0xFFFFFFFF)


def _signature(skel: str) -> np.ndarray:
    codes = np.frombuffer(skel.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    width = min(_SHINGLE, len(codes))
    runs = len(codes) - width + 1
    sig = np.full(_BINS, _U32, dtype=np.uint64)
    for start in range(0, runs, _CHUNK):
        stop = min(runs, start + _CHUNK)
        h = np.zeros(stop - start, dtype=np.uint64)
        for j in range(width):
            h = h * np.uint64(1_000_003) + codes[start + j:stop + j]
        h = (h ^ (h >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        h = (h ^ (h >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        h = h ^ (h >> np.uint64(31))
        np.minimum.at(sig, ((h >> np.uint64(32)) * np.uint64(_BINS)) >> np.uint64(32), h & _U32)
    return sig


def _near_keys(text: str, context: tuple) -> list[int]:
    skel = re.sub(r"[\W_]+", "", text).lower()
    if not skel:
        return []
    sig = _signature(skel).astype("<u4")
    scope = hashlib.blake2b(repr(context).encode("utf-8"), digest_size=16).digest()
    return [int.from_bytes(hashlib.blake2b(scope + bytes([band]) + sig[band * ROWS:(band + 1) * ROWS].tobytes(),
                                           digest_size=8).digest(), "little", signed=True)
            for band in range(BANDS)]


def upgrade() -> None:
    op.create_table(
        'report_near_key',
        sa.Column('near_key', sa.BigInteger(), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['report_id'], ['core.report.report_id'], ondelete='CASCADE',
                                name=op.f('fk_report_near_key_report_id_report')),
        sa.PrimaryKeyConstraint('near_key', 'report_id', name=op.f('pk_report_near_key')),
        schema='core',
        comment="近似重复查找键 Near-duplicate look-up keys of each report (the loader's)")
    op.create_index(op.f('ix_report_near_key_report_id'), 'report_near_key', ['report_id'], schema='core')
    _backfill(op.get_bind())


def _backfill(conn) -> None:
    """Keys of the reports loaded before, one report at a time (texts can be large)."""
    ids = conn.execute(sa.text("select report_id from core.report where title is not null order by report_id"))
    for (rid,) in ids.all():
        title, year, place, text = conn.execute(sa.text(
            "select title, report_year, jurisdiction_name, text from core.report where report_id = :r"),
            {"r": rid}).one()
        # As ingest.load.prepare.figures, read back from the stored figures.
        figures = sorted((code, float(value), scope or "", name or "") for code, value, scope, name in conn.execute(
            sa.text("select indicator_code, value, scope, place_name from core.metric where report_id = :r"),
            {"r": rid}))
        keys = _near_keys(text, (title, year, place, figures))
        if keys:
            conn.execute(sa.text("insert into core.report_near_key (near_key, report_id) "
                                 "select distinct unnest(cast(:k as bigint[])), :r"), {"k": keys, "r": rid})


def downgrade() -> None:
    op.drop_index(op.f('ix_report_near_key_report_id'), table_name='report_near_key', schema='core')
    op.drop_table('report_near_key', schema='core')
