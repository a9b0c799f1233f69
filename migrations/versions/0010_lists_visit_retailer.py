"""visits.retailer_id and indexes for flat visit lists (issue 15)

Revision ID: 0010_lists
Revises: 0009_pages
Create Date: 2026-11-30 03:00:00

A business's visits page walks ix_visits_retailer_status_visited newest first and stops after
the page, instead of gathering every visit of every premises of the business (4,900 rows for a
500-premises chain). retailer_id is the premises' business, filled here once for existing
visits and on insert by a mapper event (compliance/models/visits.py); premises never change
business. The officer index serves the visit list's "own visits" part.
"""
from alembic import op
import sqlalchemy as sa


revision = '0010_lists'
down_revision = '0009_pages'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('visits') as batch:
        batch.add_column(sa.Column('retailer_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_visits_retailer_id_retailers', 'retailers',
                                 ['retailer_id'], ['id'])
    op.execute('UPDATE visits SET retailer_id = (SELECT premises.retailer_id FROM premises '
               'WHERE premises.id = visits.premises_id)')
    op.create_index('ix_visits_retailer_status_visited', 'visits',
                    ['retailer_id', 'status', 'visited_at', 'id'])
    op.create_index('ix_visits_officer_status_visited', 'visits',
                    ['officer_id', 'status', 'visited_at'])


def downgrade():
    op.drop_index('ix_visits_officer_status_visited', table_name='visits')
    op.drop_index('ix_visits_retailer_status_visited', table_name='visits')
    with op.batch_alter_table('visits') as batch:
        batch.drop_constraint('fk_visits_retailer_id_retailers', type_='foreignkey')
        batch.drop_column('retailer_id')
