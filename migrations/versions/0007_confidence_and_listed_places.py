"""confidence of each figure, and the place a figure is about when a page lists several

Revision ID: 0007
Revises: 0006
Create Date: 2027-01-12 10:00:00

The extractor now says how likely a figure is right (`confidence`, 0..1, calibrated on real
text; null when it cannot tell) and, for a page or table that lists places or bodies (a
provincial statistics page with a row per city), which place a figure is about (`place_*`).
dbt compares only figures at or above a threshold (var `min_confidence`) and never takes a listed
place's figure for the report's own total; it fills that place's own rows of the panel instead.
Rows loaded before this revision have none of it: unknown confidence passes, no place.
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

LEVELS = "place_level is null or place_level in ('province', 'city', 'county', 'township')"


def upgrade() -> None:
    op.add_column('metric', sa.Column('confidence', sa.Numeric(), nullable=True), schema='core')
    op.add_column('metric', sa.Column('place_code', sa.String(12), nullable=True), schema='core')
    op.add_column('metric', sa.Column('place_name', sa.Text(), nullable=True), schema='core')
    op.add_column('metric', sa.Column('place_level', sa.String(10), nullable=True), schema='core')
    op.create_check_constraint(op.f('ck_metric_confidence_range'), 'metric', 'confidence between 0 and 1',
                               schema='core')
    op.create_check_constraint(op.f('ck_metric_place_level'), 'metric', LEVELS, schema='core')
    # dbt reads the listed places' figures on every build: few among millions, found by this
    # partial index instead of a scan of every figure.
    op.create_index(op.f('ix_metric_listed_place'), 'metric', ['metric_id'], schema='core',
                    postgresql_where=sa.text('place_code is not null or place_name is not null'))


def downgrade() -> None:
    op.drop_index(op.f('ix_metric_listed_place'), table_name='metric', schema='core')
    op.drop_constraint(op.f('ck_metric_place_level'), 'metric', type_='check', schema='core')
    op.drop_constraint(op.f('ck_metric_confidence_range'), 'metric', type_='check', schema='core')
    op.drop_column('metric', 'place_level', schema='core')
    op.drop_column('metric', 'place_name', schema='core')
    op.drop_column('metric', 'place_code', schema='core')
    op.drop_column('metric', 'confidence', schema='core')
