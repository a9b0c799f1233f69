"""the shop finder's indexes: town and space-free postcode trigrams, names in order

Revision ID: 0020_find
Revises: 0019_lists
Create Date: 2026-12-01 10:40:00

The officer's "find the shop" search matched name, postcode (spaces ignored), town and
business with lower(...) LIKE, which no index serves: 45 ms a search at national scale (every
shop read, the matches sorted). It now gathers a rare word's shops through trigram indexes and
walks a common word's in name order (compliance/shops/services.py).
"""
import sqlalchemy as sa
from alembic import op

revision = '0020_find'
down_revision = '0019_lists'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_premises_town_trgm', 'premises', ['town'], postgresql_using='gin',
                    postgresql_ops={'town': 'gin_trgm_ops'})
    op.create_index('ix_premises_postcode_compact_trgm', 'premises',
                    [sa.text("replace(lower(postcode), ' ', '') gin_trgm_ops")
                     if op.get_bind().dialect.name == 'postgresql'
                     else sa.text("replace(lower(postcode), ' ', '')")],
                    postgresql_using='gin')
    op.create_index('ix_premises_name', 'premises', ['name', 'id'])


def downgrade():
    op.drop_index('ix_premises_name', table_name='premises')
    op.drop_index('ix_premises_postcode_compact_trgm', table_name='premises')
    op.drop_index('ix_premises_town_trgm', table_name='premises')
