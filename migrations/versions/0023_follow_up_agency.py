"""each follow-up's agency (its visit's), so an officer's home reads their agency's answers

Revision ID: 0023_fu_agency
Revises: 0022_answered
Create Date: 2026-12-01 17:00:00

An officer's home lists the answered follow-ups waiting for their review: their own visits'
and their agency's submitted visits'. 0022's index held every agency's answers in waiting
order, so an officer read the country's answers until they had found a hundred of their
agency's (a tenth of the country: 1,013 read, 2 to 8 ms; a small agency: all of them). The
visit's agency is copied onto its follow-ups here once and on insert by a mapper event
(compliance/models/visits.py); a visit keeps the agency it was recorded for. The agency's
answers are then one range of ix_follow_ups_agency_answered, and the officer's own visits
outside it are found through their visits.
"""
import sqlalchemy as sa
from alembic import op

revision = '0023_fu_agency'
down_revision = '0022_answered'
branch_labels = None
depends_on = None

ANSWERED = "status = 'answered'"


def upgrade():
    with op.batch_alter_table('follow_ups') as batch:
        batch.add_column(sa.Column('agency_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_follow_ups_agency_id_agencies', 'agencies',
                                 ['agency_id'], ['id'])
    op.execute('UPDATE follow_ups SET agency_id = (SELECT visits.agency_id FROM visits '
               'WHERE visits.id = follow_ups.visit_id)')
    op.drop_index('ix_follow_ups_answered', table_name='follow_ups')
    op.create_index('ix_follow_ups_agency_answered', 'follow_ups',
                    ['agency_id', 'responded_at', 'id'],
                    postgresql_where=sa.text(ANSWERED), sqlite_where=sa.text(ANSWERED))


def downgrade():
    op.drop_index('ix_follow_ups_agency_answered', table_name='follow_ups')
    op.create_index('ix_follow_ups_answered', 'follow_ups', ['responded_at', 'id'],
                    postgresql_where=sa.text(ANSWERED), sqlite_where=sa.text(ANSWERED))
    with op.batch_alter_table('follow_ups') as batch:
        batch.drop_constraint('fk_follow_ups_agency_id_agencies', type_='foreignkey')
        batch.drop_column('agency_id')
