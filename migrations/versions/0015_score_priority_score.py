"""each priority row's stored score (as a sort key) and when it may next change, and indexes

Revision ID: 0015_score
Revises: 0014_open_fu
Create Date: 2026-11-30 11:30:00

Indexes: a scope's rows in list order, and the rows whose score may be out of date. The
data step scores every row (compliance/priorities/scoring.py, the same code as `flask
--app compliance priorities rebuild`).
"""
import sqlalchemy as sa
from alembic import op

from compliance.models.base import UTCDateTime

revision = '0015_score'
down_revision = '0014_open_fu'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('premises_priority') as batch:
        batch.add_column(sa.Column('sort_key', sa.Integer(), server_default='0',
                                   nullable=False))
        batch.add_column(sa.Column('rescore_at', UTCDateTime(), nullable=True))
    op.create_index('ix_premises_priority_rank', 'premises_priority',
                    ['scope_id', 'sort_key', 'last_visit_at', 'name', 'premises_id',
                     'rescore_at'])
    op.create_index('ix_premises_priority_rescore_at', 'premises_priority',
                    ['scope_id', 'rescore_at'])
    from compliance.priorities.scoring import rescore

    rescore(op.get_bind())
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ANALYZE premises_priority')


def downgrade():
    op.drop_index('ix_premises_priority_rescore_at', table_name='premises_priority')
    op.drop_index('ix_premises_priority_rank', table_name='premises_priority')
    with op.batch_alter_table('premises_priority') as batch:
        batch.drop_column('rescore_at')
        batch.drop_column('sort_key')
