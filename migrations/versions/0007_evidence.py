"""visit kinds (complaint visits become engagement visits); evidence files and their links

Revision ID: 0007_evidence
Revises: 0006_home
Create Date: 2026-11-29 23:55:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0007_evidence'
down_revision = '0006_home'
branch_labels = None
depends_on = None

KINDS = "visit_type IN ('engagement', 'test_purchase', 'follow_up', 'verification')"


def upgrade():
    # A complaint visit was recorded like an engagement visit; it is one now.
    op.execute("UPDATE visits SET visit_type = 'engagement' WHERE visit_type = 'complaint'")
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.create_check_constraint('visit_type', KINDS)
    op.create_table(
        'evidence_files',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('content_type', sa.String(length=40), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("content_type IN ('image/jpeg', 'image/png', 'image/webp', "
                           "'image/heic', 'image/heif', 'application/pdf')",
                           name=op.f('ck_evidence_files_type')),
        sa.CheckConstraint('size > 0', name=op.f('ck_evidence_files_size')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_files')),
        sa.UniqueConstraint('sha256', name=op.f('uq_evidence_files_sha256')),
    )
    op.create_table(
        'evidence_links',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('evidence_file_id', sa.Integer(), nullable=False),
        sa.Column('follow_up_id', sa.Integer(), nullable=True),
        sa.Column('visit_id', sa.Integer(), nullable=True),
        sa.Column('item_key', sa.String(length=80), nullable=True),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('added_by_id', sa.Integer(), nullable=True),
        sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('(follow_up_id IS NULL) <> (visit_id IS NULL)',
                           name=op.f('ck_evidence_links_one_target')),
        sa.CheckConstraint('(visit_id IS NULL) = (item_key IS NULL)',
                           name=op.f('ck_evidence_links_item_with_visit')),
        sa.ForeignKeyConstraint(['added_by_id'], ['users.id'],
                                name=op.f('fk_evidence_links_added_by_id_users')),
        sa.ForeignKeyConstraint(['evidence_file_id'], ['evidence_files.id'],
                                name=op.f('fk_evidence_links_evidence_file_id_evidence_files')),
        sa.ForeignKeyConstraint(['follow_up_id'], ['follow_ups.id'],
                                name=op.f('fk_evidence_links_follow_up_id_follow_ups')),
        sa.ForeignKeyConstraint(['visit_id'], ['visits.id'],
                                name=op.f('fk_evidence_links_visit_id_visits')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_links')),
        sa.UniqueConstraint('follow_up_id', 'evidence_file_id',
                            name=op.f('uq_evidence_links_follow_up_file')),
        sa.UniqueConstraint('visit_id', 'item_key', 'evidence_file_id',
                            name=op.f('uq_evidence_links_visit_item_file')),
    )
    with op.batch_alter_table('evidence_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_links_evidence_file_id'),
                              ['evidence_file_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_links_follow_up_id'), ['follow_up_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_links_visit_id'), ['visit_id'],
                              unique=False)


def downgrade():
    op.drop_table('evidence_links')
    op.drop_table('evidence_files')
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_constraint('visit_type', type_='check')
