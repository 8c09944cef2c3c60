"""Audit log of case views and actions; per-council policy (require a second factor); queue index.

Reviewed: two new tables only, no change to existing rows. Audit rows keep their history
when a user or case is deleted (SET NULL). `ix_case_queue_order` is a partial index on the
queue statuses in the queue's sort order (priority, SLA due, id), so the first page and
"take the next case" walk the index instead of sorting the open cases; on PostgreSQL it
INCLUDEs the filter columns so the per-filter counts are an index-only scan. SQLite gets the
same partial index without INCLUDE (it supports WHERE on indexes, not INCLUDE). Downgrade drops both tables and the index by name.

Revision ID: 0003a
Revises: 0002
Create Date: 2026-11-29 13:44:08.784278
"""
from alembic import op
import sqlalchemy as sa
import hub.db


revision = '0003a'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('council_policy',
    sa.Column('authority_code', sa.String(length=16), nullable=False),
    sa.Column('require_totp', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['authority_code'], ['authority.code'], name=op.f('fk_council_policy_authority_code_authority')),
    sa.PrimaryKeyConstraint('authority_code', name=op.f('pk_council_policy'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('at', hub.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ip', sa.String(length=45), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_audit_log_case_id_case'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_audit_log_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_case', ['case_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_user_id'), ['user_id'], unique=False)
    op.create_index('ix_case_queue_order', 'case', ['priority', 'sla_due_at', 'id'], unique=False,
                    postgresql_include=['authority_code', 'status', 'service_code', 'channel', 'assigned_to_id'],
                    postgresql_where=sa.text("status IN ('open', 'in_progress')"),
                    sqlite_where=sa.text("status IN ('open', 'in_progress')"))



def downgrade() -> None:
    op.drop_index('ix_case_queue_order', table_name='case')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_user_id'))
        batch_op.drop_index('ix_audit_log_case')

    op.drop_table('audit_log')
    op.drop_table('council_policy')
