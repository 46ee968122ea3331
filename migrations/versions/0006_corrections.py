"""corrections of extracted figures, kept apart from what ingest writes

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 15:00:00

A researcher's correction (a value set right, a false figure deleted, a missed one added with its
evidence) must outlive the report rows it corrects: a re-parse deletes and reloads a report, a new
version of a document is a new report. So `correction` has no foreign key to `report`: it names
the report by its text hash and the document by place, year, issuer and kind, and dbt applies it
on top of the extracted figures on every build.
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'correction',
        sa.Column('correction_id', sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column('correction_uid', sa.String(36), nullable=False),
        sa.Column('action', sa.String(8), nullable=False),
        sa.Column('text_hash', sa.String(64), nullable=False),
        sa.Column('jurisdiction_code', sa.String(12), nullable=True),
        sa.Column('jurisdiction_name', sa.Text(), nullable=True),
        sa.Column('report_year', sa.SmallInteger(), nullable=True),
        sa.Column('issuer', sa.Text(), nullable=True),
        sa.Column('kind', sa.String(16), nullable=False),
        sa.Column('title', sa.Text(), nullable=True),
        sa.Column('indicator_code', sa.String(64), nullable=False),
        sa.Column('scope', sa.String(24), nullable=False),
        sa.Column('value', sa.Numeric(), nullable=True),
        sa.Column('unit', sa.String(8), nullable=True),
        sa.Column('extracted_value', sa.Numeric(), nullable=True),
        sa.Column('evidence', sa.Text(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('corrected_by', sa.Text(), nullable=False),
        sa.Column('corrected_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_by', sa.Text(), nullable=True),
        sa.CheckConstraint("action in ('set', 'delete', 'add')", name=op.f('ck_correction_action')),
        sa.CheckConstraint("scope in ('jurisdiction', 'government_as_party')", name=op.f('ck_correction_scope')),
        sa.CheckConstraint("action = 'delete' or value is not null", name=op.f('ck_correction_value_given')),
        sa.CheckConstraint("action <> 'add' or evidence is not null", name=op.f('ck_correction_add_has_evidence')),
        sa.CheckConstraint("length(btrim(reason)) > 0", name=op.f('ck_correction_reason_given')),
        sa.ForeignKeyConstraint(['indicator_code'], ['core.indicator.code'],
                                name=op.f('fk_correction_indicator_code_indicator')),
        sa.PrimaryKeyConstraint('correction_id', name=op.f('pk_correction')),
        sa.UniqueConstraint('correction_uid', name=op.f('uq_correction_correction_uid')),
        schema='core',
        comment="人工更正 Corrections of extracted figures, with who made them, when and why; "
                "they survive re-ingest and re-parse")
    op.create_index(op.f('ix_correction_text_hash'), 'correction', ['text_hash'], schema='core')


def downgrade() -> None:
    op.drop_index(op.f('ix_correction_text_hash'), table_name='correction', schema='core')
    op.drop_table('correction', schema='core')
