"""Case details, duplicate links and reply tokens; training examples for the classifier.

Reviewed: `details` is NOT NULL, so existing rows get '{}' from a server default (then the
ORM always supplies it). The reply-token unique constraint and the self-referencing
duplicate link are named by the convention and dropped by name on downgrade.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa
import hub.db


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('training_example',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('service_code', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=True),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', hub.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_training_example_case_id_case'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['service_code'], ['service.code'], name=op.f('fk_training_example_service_code_service')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_training_example_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_example'))
    )
    with op.batch_alter_table('training_example', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_example_case_id'), ['case_id'], unique=False)

    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('details', sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
        batch_op.add_column(sa.Column('duplicate_of_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reply_token', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_case_duplicate_of_id'), ['duplicate_of_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_case_reply_token'), ['reply_token'])
        batch_op.create_foreign_key(batch_op.f('fk_case_duplicate_of_id_case'), 'case', ['duplicate_of_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_case_duplicate_of_id_case'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_case_reply_token'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_case_duplicate_of_id'))
        batch_op.drop_column('reply_token')
        batch_op.drop_column('duplicate_of_id')
        batch_op.drop_column('details')

    with op.batch_alter_table('training_example', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_example_case_id'))

    op.drop_table('training_example')
