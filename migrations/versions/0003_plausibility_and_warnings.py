"""plausibility ranges, out-of-range flag, read warnings, report years from 2000

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 12:00:00

Figures outside the indicator's plausible range (catalogue data: rates 0-100, counts with a
ceiling) are kept with `metric.out_of_range` and never reach the comparison views. A report
year must fall between 2000 and the publication year; earlier years loaded before this revision
are left empty with a warning, as the parser now does.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

YEAR_CHECK = 'ck_report_report_year'


def upgrade() -> None:
    op.add_column('indicator', sa.Column('min_value', sa.Numeric(), nullable=True), schema='core')
    op.add_column('indicator', sa.Column('max_value', sa.Numeric(), nullable=True), schema='core')
    op.add_column('metric', sa.Column('out_of_range', sa.Boolean(), server_default='false', nullable=False),
                  schema='core')
    op.add_column('report', sa.Column('warnings', ARRAY(sa.Text()), nullable=True), schema='core')
    op.drop_constraint(op.f(YEAR_CHECK), 'report', type_='check', schema='core')
    op.execute("update core.report set warnings = array_append(warnings, "
               "'report year ' || report_year || ' before 2000: left empty'), report_year = null "
               "where report_year < 2000")
    op.create_check_constraint(op.f(YEAR_CHECK), 'report', 'report_year between 2000 and 2100', schema='core')


def downgrade() -> None:
    op.drop_constraint(op.f(YEAR_CHECK), 'report', type_='check', schema='core')
    op.create_check_constraint(op.f(YEAR_CHECK), 'report', 'report_year between 1990 and 2100', schema='core')
    op.drop_column('report', 'warnings', schema='core')
    op.drop_column('metric', 'out_of_range', schema='core')
    op.drop_column('indicator', 'max_value', schema='core')
    op.drop_column('indicator', 'min_value', schema='core')
