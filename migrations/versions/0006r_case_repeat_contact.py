"""Repeat contacts stored on each case, for the managers' reports.

Reviewed by hand: one NOT NULL boolean on `case` with a server default of false, so existing
rows are valid at once; `batch_alter_table` so SQLite rebuilds the table, PostgreSQL gets a
plain ALTER. `ix_case_created` is rebuilt to carry the new column (INCLUDE, PostgreSQL only),
so report windows stay index-only scans.

Backfill, one statement: a case is a repeat when an earlier case (created before it, or at the
same instant with a lower id) of the same citizen and service was created at most 7 days (168
hours) before it, whatever its council or channel. Every row is false after the ALTER, so only
the repeats are written. The date arithmetic is per dialect, as in hub.cases.repeats (frozen
here: a migration does not import the app): PostgreSQL subtracts an interval in hours;
SQLite's stored text 'YYYY-MM-DD HH:MM:SS.ffffff' is shifted to the second with strftime and
its microseconds put back. Each probe uses ix_case_citizen (citizen_id, created_at).
Downgrade rebuilds the index without the column, then drops it (nothing else reads it).

Revision ID: 0006r
Revises: 0005c
Create Date: 2026-11-30
"""
from alembic import op
import sqlalchemy as sa


revision = '0006r'
down_revision = '0005c'
branch_labels = None
depends_on = None

REPORT_COLUMNS = ['id', 'authority_code', 'channel', 'service_code', 'workflow', 'disposition', 'self_served',
                  'citizen_id', 'sla_due_at', 'first_response_at', 'resolved_at']

WEEK_BEFORE = {
    'postgresql': """"case".created_at - INTERVAL '168 hours'""",
    'sqlite': """strftime('%Y-%m-%d %H:%M:%S', "case".created_at, '-7 days') || substr("case".created_at, 20)""",
}

BACKFILL = """
UPDATE "case" SET repeat_contact = {true}
WHERE EXISTS (
    SELECT 1 FROM "case" AS earlier
    WHERE earlier.citizen_id = "case".citizen_id AND earlier.service_code = "case".service_code
      AND earlier.created_at >= {week_before}
      AND (earlier.created_at < "case".created_at
           OR (earlier.created_at = "case".created_at AND earlier.id < "case".id)))
"""


def upgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('repeat_contact', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.drop_index('ix_case_created')
        batch_op.create_index('ix_case_created', ['created_at'], unique=False,
                              postgresql_include=REPORT_COLUMNS + ['repeat_contact'])
    dialect = op.get_bind().dialect.name
    op.execute(BACKFILL.format(true='true' if dialect == 'postgresql' else '1',
                               week_before=WEEK_BEFORE['postgresql' if dialect == 'postgresql' else 'sqlite']))


def downgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_created')
        batch_op.create_index('ix_case_created', ['created_at'], unique=False, postgresql_include=REPORT_COLUMNS)
        batch_op.drop_column('repeat_contact')
