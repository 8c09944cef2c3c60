"""A date-window index for the managers' reports.

Reviewed: reports filter on created_at alone when a user sees every council, which
ix_case_report (authority, channel, created) cannot serve. On PostgreSQL the index carries
the columns the report queries read (INCLUDE), so a window is an index-only scan; SQLite
ignores postgresql_include and gets a plain created_at index. Dropped by name on downgrade.

Revision ID: 0003r
Revises: 0003e
Create Date: 2026-11-29
"""
from alembic import op


revision = '0003r'
down_revision = '0003e'
branch_labels = None
depends_on = None

REPORT_COLUMNS = ['id', 'authority_code', 'channel', 'service_code', 'workflow', 'disposition', 'self_served',
                  'citizen_id', 'sla_due_at', 'first_response_at', 'resolved_at']


def upgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.create_index('ix_case_created', ['created_at'], unique=False, postgresql_include=REPORT_COLUMNS)


def downgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_created')
