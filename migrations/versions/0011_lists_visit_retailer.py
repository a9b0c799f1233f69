"""visits.retailer_id, follow_ups.retailer_id and indexes for flat visit lists (issue 15)

Revision ID: 0011_lists
Revises: 0010_exports
Create Date: 2026-11-30 03:00:00

A business's visits page walks ix_visits_retailer_status_visited newest first and stops after
the page, instead of gathering every visit of every premises of the business (4,900 rows for a
500-premises chain). retailer_id is the premises' business, filled here once for existing
visits and on insert by a mapper event (compliance/models/visits.py); premises never change
business. The visit list's two parts get covering indexes in list order: the agency's
(ix_visits_agency_status_visited, now with id) and the officer's own.
"""
from alembic import op
import sqlalchemy as sa


revision = '0011_lists'
down_revision = '0010_exports'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('visits', 'follow_ups'):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('retailer_id', sa.Integer(), nullable=True))
            batch.create_foreign_key(f'fk_{table}_retailer_id_retailers', 'retailers',
                                     ['retailer_id'], ['id'])
        op.execute(f'UPDATE {table} SET retailer_id = (SELECT premises.retailer_id '
                   f'FROM premises WHERE premises.id = {table}.premises_id)')
    op.create_index('ix_visits_retailer_status_visited', 'visits',
                    ['retailer_id', 'status', 'visited_at', 'id'])
    op.create_index('ix_visits_officer_status_visited', 'visits',
                    ['officer_id', 'status', 'visited_at', 'id'],
                    postgresql_include=['agency_id', 'premises_id'])
    op.drop_index('ix_visits_agency_status_visited', table_name='visits')
    op.create_index('ix_visits_agency_status_visited', 'visits',
                    ['agency_id', 'status', 'visited_at', 'id'],
                    postgresql_include=['premises_id'])
    op.create_index('ix_follow_ups_retailer_status_due', 'follow_ups',
                    ['retailer_id', 'status', 'due_on', 'id'])


def downgrade():
    op.drop_index('ix_follow_ups_retailer_status_due', table_name='follow_ups')
    op.drop_index('ix_visits_agency_status_visited', table_name='visits')
    op.create_index('ix_visits_agency_status_visited', 'visits',
                    ['agency_id', 'status', 'visited_at'])
    op.drop_index('ix_visits_officer_status_visited', table_name='visits')
    op.drop_index('ix_visits_retailer_status_visited', table_name='visits')
    for table in ('follow_ups', 'visits'):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f'fk_{table}_retailer_id_retailers', type_='foreignkey')
            batch.drop_column('retailer_id')
