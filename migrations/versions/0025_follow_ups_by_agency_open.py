"""an agency's follow-ups in progress by due date: (agency_id, due_on, id) where not closed

Revision ID: 0025_fu_agency_open
Revises: 0024_prem_name
Create Date: 2026-12-01 19:50:00

The officer dashboard lists the follow-ups still in progress on the officer's own visits and
their agency's submitted visits, soonest due first. From ix_follow_ups_open_due (every
agency's, in due order) it read the country's open follow-ups until twenty were its agency's
(264 read for an agency of a tenth of the country; a small agency's officer: thousands). A
follow-up carries its visit's agency (0023), so the agency's are one range of this index; the
officer's own visits outside the agency are looked up by visit.
"""
import sqlalchemy as sa
from alembic import op

revision = '0025_fu_agency_open'
down_revision = '0024_prem_name'
branch_labels = None
depends_on = None

OPEN_FOLLOW_UP = "status <> 'closed'"


def upgrade():
    op.create_index('ix_follow_ups_agency_open_due', 'follow_ups',
                    ['agency_id', 'due_on', 'id'],
                    postgresql_where=sa.text(OPEN_FOLLOW_UP),
                    sqlite_where=sa.text(OPEN_FOLLOW_UP))


def downgrade():
    op.drop_index('ix_follow_ups_agency_open_due', table_name='follow_ups')
