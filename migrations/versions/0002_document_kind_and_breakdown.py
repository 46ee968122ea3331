"""document kind on report, breakdown on metric

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 09:00:00

Every text is now loaded, not only annual reports: `report.kind` says what a document is
(ingest.classify), and `metric.breakdown` marks figures that cover only a subset of the area.
A table row is the evidence of every figure in it, so a metric is told apart by its value too.
Rows loaded before this revision are backfilled from their title: an annual report when the title
names a rule-of-law report (the rule the loader used to admit them), else 'other'.
"""
from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# Frozen here, not imported: a migration must mean the same thing whatever the code becomes.
KINDS = ('annual_report', 'other_report', 'news', 'statistics', 'other')
ANNUAL_TITLE = r'(法治政府|法治建设|依法行政|法治.{0,6}建设).{0,30}报告'
REPORT_COMMENT = '法治政府建设年度报告 One row per distinct report file (by content hash)'
UNIQUE_COLUMNS = ['report_id', 'indicator_code', 'scope', 'start_offset']
OLD_UNIQUE = 'uq_metric_report_id_indicator_code_scope_start_offset'
NEW_UNIQUE = 'uq_metric_report_id_indicator_code_scope_start_offset_value'
DOCUMENT_COMMENT = '法治政府建设年度报告及其他文件 One row per distinct document file (by content hash)'


def upgrade() -> None:
    op.add_column('report', sa.Column('kind', sa.String(length=16), nullable=True), schema='core')
    op.execute(sa.text("update core.report set kind = case when title ~ :annual then 'annual_report' "
                       "else 'other' end").bindparams(annual=ANNUAL_TITLE))
    op.alter_column('report', 'kind', nullable=False, schema='core')
    op.create_check_constraint(op.f('ck_report_kind'), 'report',
                               'kind in (' + ', '.join(f"'{k}'" for k in KINDS) + ')', schema='core')
    op.create_table_comment('report', DOCUMENT_COMMENT, existing_comment=REPORT_COMMENT, schema='core')
    op.add_column('metric', sa.Column('breakdown', sa.Text(), nullable=True), schema='core')
    op.drop_constraint(op.f(OLD_UNIQUE), 'metric', type_='unique', schema='core')
    op.create_unique_constraint(op.f(NEW_UNIQUE), 'metric', UNIQUE_COLUMNS + ['value'], schema='core')


def downgrade() -> None:
    op.drop_constraint(op.f(NEW_UNIQUE), 'metric', type_='unique', schema='core')
    op.execute("delete from core.metric a using core.metric b where a.metric_id > b.metric_id and "
               + " and ".join(f"a.{c} = b.{c}" for c in UNIQUE_COLUMNS))
    op.create_unique_constraint(op.f(OLD_UNIQUE), 'metric', UNIQUE_COLUMNS, schema='core')
    op.drop_column('metric', 'breakdown', schema='core')
    op.create_table_comment('report', REPORT_COMMENT, existing_comment=DOCUMENT_COMMENT, schema='core')
    op.drop_constraint(op.f('ck_report_kind'), 'report', type_='check', schema='core')
    op.drop_column('report', 'kind', schema='core')
