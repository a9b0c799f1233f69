"""indexes for the certificate list, the accounts list and the admins' locked accounts

Revision ID: 0019_lists
Revises: 0018_render_job
Create Date: 2026-12-01 10:30:00

At national scale (100,000 certificates, 100,000 accounts) each page of the certificate list
sorted every certificate (37 ms) and counted them all; the accounts list sorted every account
by name (30 ms); the admins' home read every account for the locked ones (7 ms). These indexes
give each list its order as a range (compliance/models/indexes.py), and the lists count only
so far (LIST_COUNT_CAP).
"""
import sqlalchemy as sa
from alembic import op

revision = '0019_lists'
down_revision = '0018_render_job'
branch_labels = None
depends_on = None

LOCKED = "locked_until IS NOT NULL"


def upgrade():
    op.create_index('ix_users_name', 'users', ['name', 'id'])
    op.create_index('ix_users_role_name', 'users', ['role', 'name', 'id'])
    op.create_index('ix_users_locked_until', 'users', ['locked_until'],
                    postgresql_where=sa.text(LOCKED), sqlite_where=sa.text(LOCKED))
    op.create_index('ix_certificates_issued', 'certificates', ['issued_at', 'id'])
    op.create_index('ix_certificates_retailer_issued', 'certificates',
                    ['retailer_id', 'issued_at', 'id'])


def downgrade():
    for name, table in (('ix_certificates_retailer_issued', 'certificates'),
                        ('ix_certificates_issued', 'certificates'),
                        ('ix_users_locked_until', 'users'), ('ix_users_role_name', 'users'),
                        ('ix_users_name', 'users')):
        op.drop_index(name, table_name=table)
