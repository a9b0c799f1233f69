"""an index of the follow-ups still in progress, soonest due first (the officer dashboard)

Revision ID: 0014_open_fu
Revises: 0013_prio
Create Date: 2026-11-30 07:15:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0014_open_fu'
down_revision = '0013_prio'
branch_labels = None
depends_on = None

OPEN_FOLLOW_UP = "status <> 'closed'"


def upgrade():
    op.create_index('ix_follow_ups_open_due', 'follow_ups', ['due_on', 'id'],
                    postgresql_where=sa.text(OPEN_FOLLOW_UP), sqlite_where=sa.text(OPEN_FOLLOW_UP))


def downgrade():
    op.drop_index('ix_follow_ups_open_due', table_name='follow_ups')
