"""prepared exports: the refusals register PDF and operation CSVs are built by a background job

Revision ID: 0010_exports
Revises: 0009_pages
Create Date: 2026-11-30 03:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010_exports'
down_revision = '0009_pages'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'exports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=False),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('job_id', sa.Integer(), nullable=True),
        sa.Column('filename', sa.String(length=200), nullable=True),
        sa.Column('content_type', sa.String(length=60), nullable=True),
        sa.Column('size', sa.BigInteger(), nullable=True),
        sa.Column('sha256', sa.String(length=64), nullable=True),
        sa.Column('stored_name', sa.String(length=100), nullable=True),
        sa.Column('ready_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['job_id'], ['job_outbox.id'],
                                name=op.f('fk_exports_job_id_job_outbox'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'],
                                name=op.f('fk_exports_requested_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_exports')),
    )
    op.create_index(op.f('ix_exports_requested_by_id'), 'exports', ['requested_by_id'])
    op.create_index(op.f('ix_exports_requested_at'), 'exports', ['requested_at'])


def downgrade():
    op.drop_index(op.f('ix_exports_requested_at'), table_name='exports')
    op.drop_index(op.f('ix_exports_requested_by_id'), table_name='exports')
    op.drop_table('exports')
