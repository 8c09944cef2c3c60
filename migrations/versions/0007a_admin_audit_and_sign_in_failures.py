"""Admin changes to staff accounts in the audit log; failed sign-ins per address in the database.

Reviewed by hand. `audit_log` gains two nullable columns, so existing rows (case views and
actions) stay valid with no server default: `target_user_id`, the staff account an admin
change was made to (SET NULL like `user_id`, so the history outlives the account), and
`detail`, a JSON object of what changed (never a password or second-factor secret), plus
`ix_audit_log_target_user` (target, at) for an account's history. `batch_alter_table` so
SQLite rebuilds the table (it cannot add a foreign key in place); PostgreSQL gets plain ALTERs.

`sign_in_failure` is new and starts empty: the per-address sign-in brake moves out of each
web process's memory (decision 0019), losing at most fifteen minutes of counts at the
upgrade. `(ip, at)` serves the brake's one counting query, `at` the pruning of expired rows.
Downgrade drops the table and the two columns with their index and foreign key.

Revision ID: 0007a
Revises: 0006r
Create Date: 2026-12-01 10:00:00
"""
from alembic import op
import sqlalchemy as sa
import hub.db


revision = '0007a'
down_revision = '0006r'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('target_user_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('detail', sa.JSON(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_audit_log_target_user_id_user'), 'user',
                                    ['target_user_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index('ix_audit_log_target_user', ['target_user_id', 'at'], unique=False)

    op.create_table('sign_in_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ip', sa.String(length=45), nullable=False),
    sa.Column('at', hub.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_failure'))
    )
    with op.batch_alter_table('sign_in_failure', schema=None) as batch_op:
        batch_op.create_index('ix_sign_in_failure_ip', ['ip', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_in_failure_at'), ['at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sign_in_failure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_failure_at'))
        batch_op.drop_index('ix_sign_in_failure_ip')
    op.drop_table('sign_in_failure')

    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_target_user')
        batch_op.drop_constraint(batch_op.f('fk_audit_log_target_user_id_user'), type_='foreignkey')
        batch_op.drop_column('detail')
        batch_op.drop_column('target_user_id')
