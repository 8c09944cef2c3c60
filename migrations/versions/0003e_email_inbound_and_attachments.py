"""Email channel: every inbound message as received (raw bytes), and its attachments.

Reviewed: two new tables only, nothing added to existing ones, so no server defaults are
needed. `inbound_email.message_id` is unique (duplicate deliveries are one row);
attachments go with their message (CASCADE) but a deleted case only unlinks them
(SET NULL), like its messages' raw record. Every constraint and index is named by the
convention; downgrade drops indexes, then the child table, then the parent.

Revision ID: 0003e
Revises: 0003a
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa
import hub.db


revision = '0003e'
down_revision = '0003a'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('inbound_email',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.String(length=255), nullable=False),
    sa.Column('via', sa.String(length=8), nullable=False),
    sa.Column('sender', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=True),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('raw', sa.LargeBinary(), nullable=False),
    sa.Column('outcome', sa.String(length=12), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('hub_message_id', sa.Integer(), nullable=True),
    sa.Column('received_at', hub.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_inbound_email_case_id_case'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['hub_message_id'], ['message.id'], name=op.f('fk_inbound_email_hub_message_id_message'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_email')),
    sa.UniqueConstraint('message_id', name=op.f('uq_inbound_email_message_id'))
    )
    with op.batch_alter_table('inbound_email', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inbound_email_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_inbound_email_sender', ['sender', 'received_at'], unique=False)

    op.create_table('email_attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inbound_email_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=127), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=True),
    sa.Column('refused_reason', sa.String(length=200), nullable=True),
    sa.Column('created_at', hub.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_email_attachment_case_id_case'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['inbound_email_id'], ['inbound_email.id'], name=op.f('fk_email_attachment_inbound_email_id_inbound_email'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_email_attachment'))
    )
    with op.batch_alter_table('email_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_email_attachment_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_email_attachment_inbound_email_id'), ['inbound_email_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('email_attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_email_attachment_inbound_email_id'))
        batch_op.drop_index(batch_op.f('ix_email_attachment_case_id'))

    op.drop_table('email_attachment')
    with op.batch_alter_table('inbound_email', schema=None) as batch_op:
        batch_op.drop_index('ix_inbound_email_sender')
        batch_op.drop_index(batch_op.f('ix_inbound_email_case_id'))

    op.drop_table('inbound_email')
