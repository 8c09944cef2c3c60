"""Initial schema: partnership, authorities, sectors, services, citizens, cases, messages,
the case event log, users and memberships, and the job outbox.

Reviewed by hand: every constraint is named by the convention in hub.db; the queue index
(authority, status, priority, SLA due) and the report index (authority, channel, created)
match the queries that use them; "case" and "user" are quoted by SQLAlchemy on PostgreSQL.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa
import hub.db


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('authority',
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('tier', sa.String(length=16), nullable=False),
    sa.Column('partner', sa.Boolean(), nullable=False),
    sa.Column('county_code', sa.String(length=16), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('web', sa.String(length=300), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', hub.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', hub.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("tier IN ('partnership', 'county', 'district', 'unitary')", name=op.f('ck_authority_tier_known')),
    sa.ForeignKeyConstraint(['county_code'], ['authority.code'], name=op.f('fk_authority_county_code_authority')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_authority'))
    )
    op.create_table('citizen',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('sms_opted_out', sa.Boolean(), nullable=False),
    sa.Column('created_at', hub.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', hub.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_citizen'))
    )
    with op.batch_alter_table('citizen', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_citizen_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_citizen_phone'), ['phone'], unique=False)

    op.create_table('contact_cost',
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('self_service', sa.Numeric(precision=8, scale=2), nullable=False),
    sa.Column('assisted', sa.Numeric(precision=8, scale=2), nullable=False),
    sa.PrimaryKeyConstraint('channel', name=op.f('pk_contact_cost'))
    )
    op.create_table('partnership',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('sms_number', sa.String(length=32), nullable=True),
    sa.Column('email_address', sa.String(length=254), nullable=True),
    sa.Column('triage_authority_code', sa.String(length=16), nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.Column('document_sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', hub.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', hub.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_partnership'))
    )
    op.create_table('service',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('tier', sa.String(length=16), nullable=False),
    sa.Column('workflow', sa.String(length=40), nullable=True),
    sa.Column('needs', sa.JSON(), nullable=False),
    sa.Column('sla_hours', sa.Integer(), nullable=False),
    sa.Column('priority', sa.String(length=16), nullable=False),
    sa.Column('urgent_terms', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', hub.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', hub.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("tier IN ('partnership', 'county', 'district')", name=op.f('ck_service_tier_known')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_service'))
    )
    op.create_table('user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('totp_secret', sa.String(length=64), nullable=True),
    sa.Column('failed_sign_ins', sa.Integer(), nullable=False),
    sa.Column('locked_until', hub.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_sign_in_at', hub.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', hub.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', hub.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role IN ('adviser', 'manager', 'admin')", name=op.f('ck_user_role_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user')),
    sa.UniqueConstraint('email', name=op.f('uq_user_email'))
    )
    op.create_table('case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=12), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('citizen_id', sa.Integer(), nullable=True),
    sa.Column('service_code', sa.String(length=64), nullable=True),
    sa.Column('authority_code', sa.String(length=16), nullable=True),
    sa.Column('disposition', sa.String(length=16), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('priority', sa.SmallInteger(), nullable=False),
    sa.Column('postcode', sa.String(length=8), nullable=True),
    sa.Column('location_text', sa.String(length=300), nullable=True),
    sa.Column('summary', sa.String(length=300), nullable=True),
    sa.Column('triage', sa.JSON(), nullable=False),
    sa.Column('routing_explanation', sa.Text(), nullable=True),
    sa.Column('workflow', sa.String(length=40), nullable=True),
    sa.Column('assigned_to_id', sa.Integer(), nullable=True),
    sa.Column('sla_due_at', hub.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('first_response_at', hub.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', hub.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', hub.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('self_served', sa.Boolean(), nullable=False),
    sa.Column('created_at', hub.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', hub.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("disposition IS NULL OR disposition IN ('self_served', 'escalated', 'urgent', 'signposted', 'needs_info')", name=op.f('ck_case_disposition_known')),
    sa.CheckConstraint("status IN ('new', 'needs_info', 'open', 'in_progress', 'waiting_citizen', 'resolved', 'closed')", name=op.f('ck_case_status_known')),
    sa.ForeignKeyConstraint(['assigned_to_id'], ['user.id'], name=op.f('fk_case_assigned_to_id_user')),
    sa.ForeignKeyConstraint(['authority_code'], ['authority.code'], name=op.f('fk_case_authority_code_authority')),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizen.id'], name=op.f('fk_case_citizen_id_citizen')),
    sa.ForeignKeyConstraint(['service_code'], ['service.code'], name=op.f('fk_case_service_code_service')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case')),
    sa.UniqueConstraint('reference', name=op.f('uq_case_reference'))
    )
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_assigned_to_id'), ['assigned_to_id'], unique=False)
        batch_op.create_index('ix_case_citizen', ['citizen_id', 'created_at'], unique=False)
        batch_op.create_index('ix_case_queue', ['authority_code', 'status', 'priority', 'sla_due_at'], unique=False)
        batch_op.create_index('ix_case_report', ['authority_code', 'channel', 'created_at'], unique=False)

    op.create_table('membership',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('authority_code', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['authority_code'], ['authority.code'], name=op.f('fk_membership_authority_code_authority')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_membership_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'authority_code', name=op.f('pk_membership'))
    )
    op.create_table('postcode_sector',
    sa.Column('sector', sa.String(length=8), nullable=False),
    sa.Column('authority_code', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['authority_code'], ['authority.code'], name=op.f('fk_postcode_sector_authority_code_authority')),
    sa.PrimaryKeyConstraint('sector', name=op.f('pk_postcode_sector'))
    )
    with op.batch_alter_table('postcode_sector', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_postcode_sector_authority_code'), ['authority_code'], unique=False)

    op.create_table('case_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('at', hub.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_case_event_case_id_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_case_event_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_event'))
    )
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.create_index('ix_case_event_case', ['case_id', 'at'], unique=False)

    op.create_table('message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('sender', sa.String(length=254), nullable=True),
    sa.Column('recipient', sa.String(length=254), nullable=True),
    sa.Column('subject', sa.String(length=300), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('provider_id', sa.String(length=255), nullable=True),
    sa.Column('delivery_status', sa.String(length=24), nullable=True),
    sa.Column('delivery_error', sa.String(length=300), nullable=True),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', hub.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("direction IN ('inbound', 'outbound')", name=op.f('ck_message_direction_known')),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_message_author_id_user')),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_message_case_id_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message')),
    sa.UniqueConstraint('channel', 'direction', 'provider_id', name=op.f('uq_message_channel_direction_provider_id'))
    )
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.create_index('ix_message_case', ['case_id', 'created_at'], unique=False)

    op.create_table('outbox_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task', sa.String(length=64), nullable=False),
    sa.Column('args', sa.JSON(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', hub.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('dispatched_at', hub.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', hub.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'running', 'done', 'failed')", name=op.f('ck_outbox_job_status_known')),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_outbox_job_case_id_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_job')),
    sa.UniqueConstraint('key', name=op.f('uq_outbox_job_key'))
    )
    with op.batch_alter_table('outbox_job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_job_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_outbox_job_pending', ['status', 'dispatched_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('outbox_job', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_job_pending')
        batch_op.drop_index(batch_op.f('ix_outbox_job_case_id'))

    op.drop_table('outbox_job')
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_index('ix_message_case')

    op.drop_table('message')
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.drop_index('ix_case_event_case')

    op.drop_table('case_event')
    with op.batch_alter_table('postcode_sector', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_postcode_sector_authority_code'))

    op.drop_table('postcode_sector')
    op.drop_table('membership')
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_report')
        batch_op.drop_index('ix_case_queue')
        batch_op.drop_index('ix_case_citizen')
        batch_op.drop_index(batch_op.f('ix_case_assigned_to_id'))

    op.drop_table('case')
    op.drop_table('user')
    op.drop_table('service')
    op.drop_table('partnership')
    op.drop_table('contact_cost')
    with op.batch_alter_table('citizen', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_citizen_phone'))
        batch_op.drop_index(batch_op.f('ix_citizen_email'))

    op.drop_table('citizen')
    op.drop_table('authority')
