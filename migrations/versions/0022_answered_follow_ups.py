"""answered follow-ups waiting for review, longest waiting first (an officer's home)

Revision ID: 0022_answered
Revises: 0021_audit
Create Date: 2026-12-01 11:20:00

An officer's home listed every answered follow-up of their agency as a to-do (303 at national
scale: 179 KB, 80 ms). It now lists the ten waiting longest and counts the rest up to 100,
reading this partial index in order.
"""
import sqlalchemy as sa
from alembic import op

revision = '0022_answered'
down_revision = '0021_audit'
branch_labels = None
depends_on = None

ANSWERED = "status = 'answered'"


def upgrade():
    op.create_index('ix_follow_ups_answered', 'follow_ups', ['responded_at', 'id'],
                    postgresql_where=sa.text(ANSWERED), sqlite_where=sa.text(ANSWERED))


def downgrade():
    op.drop_index('ix_follow_ups_answered', table_name='follow_ups')
