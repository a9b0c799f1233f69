"""indexes for bounded pages: priority list, visit list and search, reports, registers

Revision ID: 0009_pages
Revises: 0008_jobs
Create Date: 2026-11-29 23:55:00

On PostgreSQL, visit search uses trigram (pg_trgm) GIN indexes and the postcode district
filter a varchar_pattern_ops index; SQLite gets plain indexes of the same names.
"""
from alembic import op
import sqlalchemy as sa


revision = '0009_pages'
down_revision = '0008_jobs'
branch_labels = None
depends_on = None

COMPOSITE = [
    ('ix_visits_premises_status_visited', 'visits', ['premises_id', 'status', 'visited_at']),
    ('ix_visits_premises_agency_status', 'visits', ['premises_id', 'agency_id', 'status']),
    ('ix_visits_status_visited', 'visits', ['status', 'visited_at', 'id']),
    ('ix_visits_agency_status_visited', 'visits', ['agency_id', 'status', 'visited_at']),
    ('ix_visits_operation_status_area', 'visits', ['operation_id', 'status', 'area']),
    ('ix_test_purchases_premises_sold', 'test_purchases', ['premises_id', 'sold', 'resolved_at']),
    ('ix_assessments_premises_status_submitted', 'assessments',
     ['premises_id', 'status', 'submitted_at']),
    ('ix_training_completions_user_expires', 'training_completions', ['user_id', 'expires_at']),
    ('ix_refusals_premises_occurred', 'refusals', ['premises_id', 'occurred_at']),
    ('ix_refusals_corrects', 'refusals', ['corrects_id']),
    ('ix_follow_ups_premises_status_due', 'follow_ups', ['premises_id', 'status', 'due_on']),
]
TRIGRAM = [
    ('ix_premises_name_trgm', 'premises', 'name'),
    ('ix_premises_postcode_trgm', 'premises', 'postcode'),
    ('ix_retailers_name_trgm', 'retailers', 'name'),
]


def upgrade():
    postgresql = op.get_bind().dialect.name == 'postgresql'
    for name, table, columns in COMPOSITE:
        op.create_index(name, table, columns)
    op.create_index('ix_test_purchases_unresolved_failures', 'test_purchases', ['premises_id'],
                    postgresql_where=sa.text('sold AND resolved_at IS NULL'),
                    sqlite_where=sa.text('sold AND resolved_at IS NULL'))
    op.create_index('ix_premises_postcode_pattern', 'premises', ['postcode'],
                    postgresql_ops={'postcode': 'varchar_pattern_ops'})
    if postgresql:
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    for name, table, column in TRIGRAM:
        op.create_index(name, table, [column], postgresql_using='gin',
                        postgresql_ops={column: 'gin_trgm_ops'})


def downgrade():
    for name, table, _column in reversed(TRIGRAM):
        op.drop_index(name, table_name=table)
    op.drop_index('ix_premises_postcode_pattern', table_name='premises')
    op.drop_index('ix_test_purchases_unresolved_failures', table_name='test_purchases')
    for name, table, _columns in reversed(COMPOSITE):
        op.drop_index(name, table_name=table)
