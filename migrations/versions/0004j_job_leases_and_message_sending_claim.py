"""Job leases and the message "sending" claim (review finding 3).

Reviewed: two nullable timestamp columns added, no data change and no default needed.
`outbox_job.started_at` is when the current attempt claimed the job (a running job's lease
runs from it); rows already "running" keep NULL, which the sweep treats as an expired lease.
`message.send_started_at` is when a delivery attempt marked the message "sending" before
calling the provider. Batch mode so SQLite can add and drop the columns; downgrade drops both.

Revision ID: 0004j
Revises: 0003r
Create Date: 2026-11-29 14:31:48.073310
"""
from alembic import op
import sqlalchemy as sa
import hub.db


revision = '0004j'
down_revision = '0003r'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('send_started_at', hub.db.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('outbox_job', schema=None) as batch_op:
        batch_op.add_column(sa.Column('started_at', hub.db.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox_job', schema=None) as batch_op:
        batch_op.drop_column('started_at')
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_column('send_started_at')
