"""the training matrix's index: a business's people in page order

Revision ID: 0016_people
Revises: 0015_score
Create Date: 2026-11-30 22:30:00

The matrix pages a business's people by active (first), name and id; with the role in the
index too, its page and its count are index ranges (compliance/models/indexes.py).
"""
import sqlalchemy as sa
from alembic import op

revision = '0016_people'
down_revision = '0015_score'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_users_retailer_people', 'users',
                    ['retailer_id', sa.text('active DESC'), 'name', 'id', 'role'])


def downgrade():
    op.drop_index('ix_users_retailer_people', table_name='users')
