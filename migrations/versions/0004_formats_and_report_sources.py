"""formats beyond text and HTML; one report, many files

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 14:00:00

A report is identified by its text (`report.text_hash`: the normalised text without spacing and
punctuation, see ingest/identity.py), not by the bytes of a file. Every file that carries it is a
row of `report_source`; the first is primary, the others (the same report in another encoding
or format) are alternates. Reports loaded twice before this revision (one per encoding) are
merged here: the earliest stays, the later ones become its alternate sources.
"""
import hashlib
import re

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

FORMATS = ('text', 'html', 'pdf', 'docx', 'doc', 'wps', 'rtf', 'image')
FORMAT_CHECK = 'ck_report_file_format'


def _text_key(text: str) -> str:
    # As ingest.identity.text_key at this revision (copied: a migration must not change with the code).
    return hashlib.sha256(re.sub(r"[\W_]+", "", text).lower().encode("utf-8")).hexdigest()


def _in(values) -> str:
    return "file_format in (" + ", ".join(repr(v) for v in values) + ")"


def upgrade() -> None:
    op.drop_constraint(op.f(FORMAT_CHECK), 'report', type_='check', schema='core')
    op.create_check_constraint(op.f(FORMAT_CHECK), 'report', _in(FORMATS), schema='core')
    op.add_column('report', sa.Column('ocr', sa.Boolean(), server_default='false', nullable=False), schema='core')
    op.add_column('report', sa.Column('pages', sa.Integer(), nullable=True), schema='core')
    op.add_column('report', sa.Column('text_hash', sa.String(64), nullable=True), schema='core')
    op.create_table(
        'report_source',
        sa.Column('source_id', sa.Integer(), sa.Identity(), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.Column('content_hash', sa.String(64), nullable=False),
        sa.Column('source_path', sa.Text(), nullable=False),
        sa.Column('file_format', sa.String(8), nullable=False),
        sa.Column('encoding', sa.String(16), nullable=False),
        sa.Column('is_primary', sa.Boolean(), nullable=False),
        sa.Column('added_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint(_in(FORMATS), name=op.f('ck_report_source_file_format')),
        sa.ForeignKeyConstraint(['report_id'], ['core.report.report_id'], ondelete='CASCADE',
                                name=op.f('fk_report_source_report_id_report')),
        sa.PrimaryKeyConstraint('source_id', name=op.f('pk_report_source')),
        sa.UniqueConstraint('content_hash', name=op.f('uq_report_source_content_hash')),
        schema='core',
        comment="报告的来源文件 Every file that carries a report: the one it was read from and its alternates "
                "(the same report in another format or encoding)")
    op.create_index(op.f('ix_report_source_report_id'), 'report_source', ['report_id'], schema='core')
    _backfill(op.get_bind())
    op.alter_column('report', 'text_hash', nullable=False, schema='core')
    op.create_unique_constraint(op.f('uq_report_text_hash'), 'report', ['text_hash'], schema='core')
    op.create_table_comment('report', "法治政府建设年度报告及其他文件 One row per distinct document, whatever files "
                            "carry it (see report_source)", schema='core')


def _backfill(conn) -> None:
    keep: dict[str, int] = {}
    rows = conn.execute(sa.text("select report_id, content_hash, source_path, file_format, encoding, text "
                                "from core.report order by report_id")).all()
    for report_id, content_hash, path, fmt, enc, text in rows:
        key = _text_key(text)
        primary = keep.setdefault(key, report_id)
        conn.execute(sa.text("insert into core.report_source (report_id, content_hash, source_path, file_format, "
                             "encoding, is_primary) values (:r, :h, :p, :f, :e, :primary)"),
                     {"r": primary, "h": content_hash, "p": path, "f": fmt, "e": enc,
                      "primary": primary == report_id})
        if primary == report_id:
            conn.execute(sa.text("update core.report set text_hash = :k where report_id = :r"),
                         {"k": key, "r": report_id})
        else:   # the same report loaded again from another file: its figures counted twice
            conn.execute(sa.text("delete from core.report where report_id = :r"), {"r": report_id})


def downgrade() -> None:
    # Alternate files are not reports before this revision; reports in the new formats cannot be
    # kept under the old check and go with it.
    op.drop_constraint(op.f('uq_report_text_hash'), 'report', type_='unique', schema='core')
    op.drop_index(op.f('ix_report_source_report_id'), table_name='report_source', schema='core')
    op.drop_table('report_source', schema='core')
    op.drop_column('report', 'text_hash', schema='core')
    op.drop_column('report', 'pages', schema='core')
    op.drop_column('report', 'ocr', schema='core')
    op.execute("delete from core.report where file_format not in ('text', 'html')")
    op.drop_constraint(op.f(FORMAT_CHECK), 'report', type_='check', schema='core')
    op.create_check_constraint(op.f(FORMAT_CHECK), 'report', _in(('text', 'html')), schema='core')
    op.create_table_comment('report', "法治政府建设年度报告及其他文件 One row per distinct document file "
                            "(by content hash)", schema='core')
