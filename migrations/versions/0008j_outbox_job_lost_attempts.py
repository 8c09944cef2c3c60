"""Attempts lost with their worker, counted on each outbox job.

Reviewed by hand: one NOT NULL integer on `outbox_job` with a server default of 0, so
existing rows are valid at once and need no backfill (a job already taken over after a
crash simply does not know it; its attempts were counted when claimed, as before).
`lost_attempts` counts the attempts whose process died holding the job (their lease ran
out), so the reason given when the job is given up can say "the job stopped its worker N
times" (decision 0021). `batch_alter_table` so SQLite can add and drop the column;
PostgreSQL gets plain ALTERs. Downgrade drops the column (nothing else reads it).

Revision ID: 0008j
Revises: 0007a
Create Date: 2026-12-02 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0008j'
down_revision = '0007a'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox_job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lost_attempts', sa.Integer(), nullable=False, server_default=sa.text('0')))


def downgrade() -> None:
    with op.batch_alter_table('outbox_job', schema=None) as batch_op:
        batch_op.drop_column('lost_attempts')
