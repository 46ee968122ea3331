"""confirmations of figures, and the reviewers of `fazhi web`

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 00:00:00

A reviewer who checks a figure against its evidence and finds it right records a `confirm`: a
correction that keeps the extracted value (before, a `set` to the same value said so, and could
not be told from a change). dbt applies it as a set and marks the figure confirmed.

`reviewer` holds the people `fazhi web` lets in: a name and a scrypt hash of the password
(fazhi/web/reviewers.py), never the password itself.
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_constraint('ck_correction_action', 'correction', schema='core')
    op.create_check_constraint(op.f('ck_correction_action'), 'correction', "action in ('set', 'delete', 'add', 'confirm')",
                               schema='core')
    op.create_table(
        'reviewer',
        sa.Column('name', sa.String(64), nullable=False),
        sa.Column('password_hash', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column('disabled', sa.Boolean(), server_default='false', nullable=False),
        sa.CheckConstraint("name ~ '^[^[:space:][:cntrl:]]{1,64}$'", name=op.f('ck_reviewer_name_form')),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_reviewer')),
        schema='core',
        comment="审核人 The reviewers fazhi web lets in (scrypt hashes of their passwords)")
    # The review queue asks, per figure, whether a correction of its report x indicator x scope is in force.
    op.create_index('ix_correction_text_hash_indicator_code_scope', 'correction',
                    ['text_hash', 'indicator_code', 'scope'], schema='core')


def downgrade() -> None:
    op.drop_index('ix_correction_text_hash_indicator_code_scope', table_name='correction', schema='core')
    op.drop_table('reviewer', schema='core')
    # A confirmation is a set that keeps the value: that is what it was before this revision.
    op.execute("update core.correction set action = 'set' where action = 'confirm'")
    op.drop_constraint('ck_correction_action', 'correction', schema='core')
    op.create_check_constraint(op.f('ck_correction_action'), 'correction', "action in ('set', 'delete', 'add')",
                               schema='core')
