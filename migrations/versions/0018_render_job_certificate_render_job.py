"""each certificate's render job, so a PDF that could not be made is shown as failed

Revision ID: 0018_render_job
Revises: 0017_shop_fu
Create Date: 2026-12-01 10:30:00

A certificate's pages polled "being prepared" for as long as its PDF was missing, even when
the job rendering it had died. certificates.render_job_id names the job; the certificates
still waiting for their PDF get it from the render jobs not yet finished (their payload names
the certificate).
"""
import json

import sqlalchemy as sa
from alembic import op

revision = '0018_render_job'
down_revision = '0017_shop_fu'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('render_job_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_certificates_render_job_id_job_outbox'),
                                    'job_outbox', ['render_job_id'], ['id'],
                                    ondelete='SET NULL')
    connection = op.get_bind()
    jobs = connection.execute(sa.text(
        "SELECT id, payload FROM job_outbox WHERE name = 'certificates.render' "
        "AND finished_at IS NULL ORDER BY id"))
    for job_id, payload in jobs.all():
        if isinstance(payload, str):  # SQLite hands JSON back as text
            payload = json.loads(payload)
        certificate_id = (payload or {}).get("certificate_id")
        if certificate_id is not None:
            connection.execute(sa.text(
                "UPDATE certificates SET render_job_id = :job WHERE id = :cert "
                "AND sha256 IS NULL"), {"job": job_id, "cert": certificate_id})


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_certificates_render_job_id_job_outbox'),
                                 type_='foreignkey')
        batch_op.drop_column('render_job_id')
