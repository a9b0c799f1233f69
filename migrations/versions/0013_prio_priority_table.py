"""the maintained priority table (each premises' facts, per scope), filled from the data there

Revision ID: 0013_prio
Revises: 0012_tally
Create Date: 2026-11-30 03:00:00

The data step runs the same set-based statement as `flask --app compliance priorities
rebuild`, so an upgraded site's priority list is right at once (about 15 s at national
scale). From then on the session hooks in compliance/priorities/maintenance.py keep it.
"""
import sqlalchemy as sa
from alembic import op

from compliance.models.base import UTCDateTime

revision = '0013_prio'
down_revision = '0012_tally'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'premises_priority',
        sa.Column('scope_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('premises_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('last_visit_at', UTCDateTime(), nullable=True),
        sa.Column('unresolved_failure', sa.Boolean(), nullable=False),
        sa.Column('rating', sa.String(length=10), nullable=True),
        sa.Column('next_due_at', UTCDateTime(), nullable=True),
        sa.Column('training_expires_at', UTCDateTime(), nullable=True),
        sa.Column('claimed', sa.Boolean(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('last_refusal_at', UTCDateTime(), nullable=True),
        sa.Column('follow_up_due_on', sa.Date(), nullable=True),
        sa.Column('verification_reason', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['premises_id'], ['premises.id'],
                                name=op.f('fk_premises_priority_premises_id_premises'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('scope_id', 'premises_id', name=op.f('pk_premises_priority')),
    )
    op.create_index(op.f('ix_premises_priority_premises_id'), 'premises_priority',
                    ['premises_id'])
    op.create_index('ix_premises_priority_never_visited', 'premises_priority', ['premises_id'],
                    postgresql_where=sa.text('scope_id = 0 AND last_visit_at IS NULL'),
                    sqlite_where=sa.text('scope_id = 0 AND last_visit_at IS NULL'))
    if op.get_bind().dialect.name == 'postgresql':
        # Room on each page for updated rows (HOT updates): an agency's rows stay together.
        op.execute('ALTER TABLE premises_priority SET (fillfactor = 80)')
    from compliance.priorities.table import fill_facts

    fill_facts(op.get_bind())  # scores came later (0015_score)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ANALYZE premises_priority')


def downgrade():
    op.drop_index('ix_premises_priority_never_visited', table_name='premises_priority')
    op.drop_index(op.f('ix_premises_priority_premises_id'), table_name='premises_priority')
    op.drop_table('premises_priority')
