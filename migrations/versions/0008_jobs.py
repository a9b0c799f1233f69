"""job outbox; a certificate's PDF is stored by a background job after issue

Revision ID: 0008_jobs
Revises: 0007_evidence
Create Date: 2026-11-29 23:45:00

"""
from alembic import op
import sqlalchemy as sa



revision = '0008_jobs'
down_revision = '0007_evidence'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'job_outbox',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=32), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('enqueued_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('run_after', sa.DateTime(timezone=True), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('dead_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_job_outbox')),
        sa.UniqueConstraint('key', name=op.f('uq_job_outbox_key')),
    )
    op.create_index('ix_job_outbox_waiting', 'job_outbox', ['enqueued_at'], unique=False,
                    sqlite_where=sa.text('finished_at IS NULL AND dead_at IS NULL'),
                    postgresql_where=sa.text('finished_at IS NULL AND dead_at IS NULL'))
    op.create_index(op.f('ix_job_outbox_dead_at'), 'job_outbox', ['dead_at'], unique=False)
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.alter_column('pdf', existing_type=sa.LargeBinary(), nullable=True)
        batch_op.alter_column('sha256', existing_type=sa.String(length=64), nullable=True)


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.alter_column('sha256', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('pdf', existing_type=sa.LargeBinary(), nullable=False)
    op.drop_index(op.f('ix_job_outbox_dead_at'), table_name='job_outbox')
    op.drop_index('ix_job_outbox_waiting', table_name='job_outbox')
    op.drop_table('job_outbox')
