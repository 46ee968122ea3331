"""core schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 21:18:20.976726
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('indicator',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('family', sa.String(length=32), nullable=False),
    sa.Column('name_zh', sa.Text(), nullable=False),
    sa.Column('unit', sa.String(length=8), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('core', sa.Boolean(), nullable=False),
    sa.Column('numerator', sa.String(length=64), nullable=True),
    sa.Column('denominator', sa.String(length=64), nullable=True),
    sa.Column('definition', sa.Text(), nullable=False),
    sa.CheckConstraint("code ~ '^[a-z_]+\\.[a-z_]+$'", name=op.f('ck_indicator_code_form')),
    sa.CheckConstraint("kind in ('count', 'rate', 'amount')", name=op.f('ck_indicator_kind')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_indicator')),
    schema='core',
    comment='指标目录 Indicator catalogue'
    )
    op.create_table('ingest_failure',
    sa.Column('failure_id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('source_path', sa.Text(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('failed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('failure_id', name=op.f('pk_ingest_failure')),
    sa.UniqueConstraint('source_path', 'content_hash', name=op.f('uq_ingest_failure_source_path_content_hash')),
    schema='core',
    comment='读取失败的文件 Files that could not be ingested, with the reason'
    )
    op.create_table('jurisdiction',
    sa.Column('jurisdiction_id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('code', sa.String(length=12), nullable=True),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('full_name', sa.Text(), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('province', sa.Text(), nullable=True),
    sa.Column('city', sa.Text(), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('valid_from', sa.SmallInteger(), nullable=True),
    sa.Column('valid_to', sa.SmallInteger(), nullable=True),
    sa.Column('status', sa.String(length=8), nullable=True),
    sa.Column('successor_codes', sa.Text(), nullable=True),
    sa.Column('lineage_id', sa.String(length=24), nullable=False),
    sa.CheckConstraint("level in ('province', 'city', 'county', 'township')", name=op.f('ck_jurisdiction_level')),
    sa.CheckConstraint('valid_to is null or valid_to >= valid_from', name=op.f('ck_jurisdiction_validity')),
    sa.ForeignKeyConstraint(['parent_id'], ['core.jurisdiction.jurisdiction_id'], name=op.f('fk_jurisdiction_parent_id_jurisdiction')),
    sa.PrimaryKeyConstraint('jurisdiction_id', name=op.f('pk_jurisdiction')),
    sa.UniqueConstraint('code', 'valid_from', name=op.f('uq_jurisdiction_code_valid_from')),
    schema='core',
    comment='行政区划(含历史沿革) Administrative divisions with code history (GB/T 2260)'
    )
    op.create_index(op.f('ix_jurisdiction_code'), 'jurisdiction', ['code'], unique=False, schema='core')
    op.create_index(op.f('ix_jurisdiction_lineage_id'), 'jurisdiction', ['lineage_id'], unique=False, schema='core')
    op.create_index('uq_jurisdiction_township', 'jurisdiction', ['parent_id', 'name'], unique=True, schema='core',
                    postgresql_where=sa.text("level = 'township'"))
    op.create_table('report',
    sa.Column('report_id', sa.Integer(), sa.Identity(always=False), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('source_path', sa.Text(), nullable=False),
    sa.Column('source_url', sa.Text(), nullable=True),
    sa.Column('file_format', sa.String(length=8), nullable=False),
    sa.Column('encoding', sa.String(length=16), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('issuer', sa.Text(), nullable=True),
    sa.Column('report_year', sa.SmallInteger(), nullable=True),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('jurisdiction_id', sa.Integer(), nullable=True),
    sa.Column('jurisdiction_name', sa.Text(), nullable=True),
    sa.Column('jurisdiction_candidates', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('ingested_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("file_format in ('text', 'html')", name=op.f('ck_report_file_format')),
    sa.CheckConstraint('report_year between 1990 and 2100', name=op.f('ck_report_report_year')),
    sa.ForeignKeyConstraint(['jurisdiction_id'], ['core.jurisdiction.jurisdiction_id'], name=op.f('fk_report_jurisdiction_id_jurisdiction')),
    sa.PrimaryKeyConstraint('report_id', name=op.f('pk_report')),
    sa.UniqueConstraint('content_hash', name=op.f('uq_report_content_hash')),
    schema='core',
    comment='法治政府建设年度报告 One row per distinct report file (by content hash)'
    )
    op.create_index(op.f('ix_report_jurisdiction_id'), 'report', ['jurisdiction_id'], unique=False, schema='core')
    op.create_table('measure',
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('parent_ordinal', sa.Integer(), nullable=True),
    sa.Column('depth', sa.SmallInteger(), nullable=False),
    sa.Column('section', sa.Text(), nullable=False),
    sa.Column('heading', sa.Text(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('start_offset', sa.Integer(), nullable=False),
    sa.Column('end_offset', sa.Integer(), nullable=False),
    sa.Column('section_kind', sa.String(length=10), nullable=False),
    sa.Column('topics', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('keywords', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.CheckConstraint("section_kind in ('preamble', 'results', 'problems', 'plans', 'other')", name=op.f('ck_measure_section_kind')),
    sa.CheckConstraint('end_offset >= start_offset and start_offset >= 0', name=op.f('ck_measure_offsets')),
    sa.ForeignKeyConstraint(['report_id'], ['core.report.report_id'], name=op.f('fk_measure_report_id_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('report_id', 'ordinal', name=op.f('pk_measure')),
    schema='core',
    comment='举措 Numbered passages of a report, nested by section'
    )
    op.create_index('ix_measure_topics', 'measure', ['topics'], unique=False, schema='core', postgresql_using='gin')
    op.create_table('metric',
    sa.Column('metric_id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('measure_ordinal', sa.Integer(), nullable=False),
    sa.Column('indicator_code', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Numeric(), nullable=False),
    sa.Column('unit', sa.String(length=8), nullable=False),
    sa.Column('qualifier', sa.String(length=4), nullable=True),
    sa.Column('scope', sa.String(length=24), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('start_offset', sa.Integer(), nullable=False),
    sa.Column('end_offset', sa.Integer(), nullable=False),
    sa.CheckConstraint("qualifier is null or qualifier in ('余', '约', '近', '以上', '超', '不足')", name=op.f('ck_metric_qualifier')),
    sa.CheckConstraint("scope in ('jurisdiction', 'government_as_party')", name=op.f('ck_metric_scope')),
    sa.CheckConstraint('end_offset > start_offset and start_offset >= 0', name=op.f('ck_metric_offsets')),
    sa.CheckConstraint('value >= 0', name=op.f('ck_metric_value_non_negative')),
    sa.ForeignKeyConstraint(['indicator_code'], ['core.indicator.code'], name=op.f('fk_metric_indicator_code_indicator')),
    sa.ForeignKeyConstraint(['report_id', 'measure_ordinal'], ['core.measure.report_id', 'core.measure.ordinal'], name=op.f('fk_metric_report_id_measure_ordinal_measure'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['report_id'], ['core.report.report_id'], name=op.f('fk_metric_report_id_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('metric_id', name=op.f('pk_metric')),
    sa.UniqueConstraint('report_id', 'indicator_code', 'scope', 'start_offset', name=op.f('uq_metric_report_id_indicator_code_scope_start_offset')),
    schema='core',
    comment='指标数值 Numeric facts with their evidence span'
    )
    op.create_index(op.f('ix_metric_indicator_code'), 'metric', ['indicator_code'], unique=False, schema='core')
    op.create_index(op.f('ix_metric_report_id'), 'metric', ['report_id'], unique=False, schema='core')


def downgrade() -> None:
    op.drop_index(op.f('ix_metric_report_id'), table_name='metric', schema='core')
    op.drop_index(op.f('ix_metric_indicator_code'), table_name='metric', schema='core')
    op.drop_table('metric', schema='core')
    op.drop_index('ix_measure_topics', table_name='measure', schema='core', postgresql_using='gin')
    op.drop_table('measure', schema='core')
    op.drop_index(op.f('ix_report_jurisdiction_id'), table_name='report', schema='core')
    op.drop_table('report', schema='core')
    op.drop_index('uq_jurisdiction_township', table_name='jurisdiction', schema='core')
    op.drop_index(op.f('ix_jurisdiction_lineage_id'), table_name='jurisdiction', schema='core')
    op.drop_index(op.f('ix_jurisdiction_code'), table_name='jurisdiction', schema='core')
    op.drop_table('jurisdiction', schema='core')
    op.drop_table('ingest_failure', schema='core')
    op.drop_table('indicator', schema='core')
