"""a business's follow-ups still in progress, soonest due first (the shop's visits page)

Revision ID: 0017_shop_fu
Revises: 0016_people
Create Date: 2026-12-01 04:00:00

The shop's list shows the follow-ups not closed first, by due date: with three statuses in
ix_follow_ups_retailer_status_due that half was a sort of all of them; in this index it is a
range read in page order (compliance/models/indexes.py).
"""
import sqlalchemy as sa
from alembic import op

revision = '0017_shop_fu'
down_revision = '0016_people'
branch_labels = None
depends_on = None

OPEN_FOLLOW_UP = "status <> 'closed'"


def upgrade():
    op.create_index('ix_follow_ups_retailer_open_due', 'follow_ups',
                    ['retailer_id', 'due_on', 'id'],
                    postgresql_where=sa.text(OPEN_FOLLOW_UP), sqlite_where=sa.text(OPEN_FOLLOW_UP))


def downgrade():
    op.drop_index('ix_follow_ups_retailer_open_due', table_name='follow_ups')
