"""operation report tallies, kept as visits change; an index for the report's advice pages

Revision ID: 0012_tally
Revises: 0011_lists
Create Date: 2026-11-30 03:10:00

The data step fills the tallies from the visits already there (compliance.tallies.rebuild,
set-based), so an upgraded site's reports are right at once.
"""
import sqlalchemy as sa
from alembic import op

revision = '0012_tally'
down_revision = '0011_lists'
branch_labels = None
depends_on = None

ADVICE_GIVEN = "status = 'submitted' AND advice_given IS NOT NULL AND advice_given <> ''"


def upgrade():
    op.create_table(
        'operation_tallies',
        sa.Column('operation_id', sa.Integer(), nullable=False),
        sa.Column('area', sa.String(length=100), nullable=False),
        sa.Column('key', sa.String(length=100), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['operation_id'], ['operations.id'],
                                name=op.f('fk_operation_tallies_operation_id_operations')),
        sa.PrimaryKeyConstraint('operation_id', 'area', 'key', name=op.f('pk_operation_tallies')),
    )
    op.create_table(
        'operation_tally_premises',
        sa.Column('operation_id', sa.Integer(), nullable=False),
        sa.Column('area', sa.String(length=100), nullable=False),
        sa.Column('premises_id', sa.Integer(), nullable=False),
        sa.Column('visits', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['operation_id'], ['operations.id'],
                                name=op.f('fk_operation_tally_premises_operation_id_operations')),
        sa.ForeignKeyConstraint(['premises_id'], ['premises.id'],
                                name=op.f('fk_operation_tally_premises_premises_id_premises')),
        sa.PrimaryKeyConstraint('operation_id', 'area', 'premises_id',
                                name=op.f('pk_operation_tally_premises')),
    )
    op.create_index('ix_visits_operation_advice', 'visits', ['operation_id', 'visited_at', 'id'],
                    postgresql_where=sa.text(ADVICE_GIVEN), sqlite_where=sa.text(ADVICE_GIVEN))
    from compliance.tallies import rebuild

    rebuild(op.get_bind())


def downgrade():
    op.drop_index('ix_visits_operation_advice', table_name='visits')
    op.drop_table('operation_tally_premises')
    op.drop_table('operation_tallies')
