"""who reviewed a module version; what a checklist item rests on

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 20:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('training_modules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reviewed_by', sa.String(length=120), nullable=True))
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('basis', sa.String(length=30), nullable=True))


def downgrade():
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.drop_column('basis')
    with op.batch_alter_table('training_modules', schema=None) as batch_op:
        batch_op.drop_column('reviewed_by')
