"""the audit log's pages: newest first as an index range, all events or one action's

Revision ID: 0021_audit
Revises: 0020_find
Create Date: 2026-12-01 11:00:00

The log grows with every sign-in and change. With a million events each page of it counted
them all and listed the distinct actions (107 ms). Its pages now read (at, id) or
(action, at, id) in order and count only so far; the filter offers every action the portal
records. The single-column indexes on at and action are replaced by these two.
"""
from alembic import op

revision = '0021_audit'
down_revision = '0020_find'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_audit_events_at_id', 'audit_events', ['at', 'id'])
    op.create_index('ix_audit_events_action_at_id', 'audit_events', ['action', 'at', 'id'])
    op.drop_index('ix_audit_events_at', table_name='audit_events')
    op.drop_index('ix_audit_events_action', table_name='audit_events')


def downgrade():
    op.create_index('ix_audit_events_action', 'audit_events', ['action'])
    op.create_index('ix_audit_events_at', 'audit_events', ['at'])
    op.drop_index('ix_audit_events_action_at_id', table_name='audit_events')
    op.drop_index('ix_audit_events_at_id', table_name='audit_events')
