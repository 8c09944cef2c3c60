"""Case keys for repeat missed collections and duplicate street reports.

Reviewed by hand: three nullable columns on `case` (no server default needed, existing rows
stay valid) and three composite indexes led by `service_code`, the filter every workflow
lookup starts with. `batch_alter_table` so SQLite rebuilds the table; PostgreSQL gets plain
ALTERs. The upgrade backfills `address_key`/`collection_date` from the missed-bin report
already stored in `details` (JSON read in Python here, once, because JSON extraction is not
portable between SQLite and PostgreSQL). `location_key` is not backfilled: it is derived by
the street-report workflow's wording rules, which a migration must not import; earlier
reports still match by identical postcode. Downgrade drops the indexes, then the columns.

Revision ID: 0004w
Revises: 0004j
Create Date: 2026-11-29 14:31:07.694099
"""
import datetime as dt
import json

from alembic import op
import sqlalchemy as sa


revision = '0004w'
down_revision = '0004j'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address_key', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('collection_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('location_key', sa.String(length=200), nullable=True))
        batch_op.create_index('ix_case_missed_address', ['service_code', 'address_key', 'collection_date'], unique=False)
        batch_op.create_index('ix_case_service_location', ['service_code', 'location_key', 'created_at'], unique=False)
        batch_op.create_index('ix_case_service_postcode', ['service_code', 'postcode', 'created_at'], unique=False)
    _backfill_missed_bins()


def _backfill_missed_bins() -> None:
    bind = op.get_bind()
    case = sa.table('case', sa.column('id', sa.Integer), sa.column('workflow', sa.String),
                    sa.column('details', sa.JSON), sa.column('address_key', sa.String),
                    sa.column('collection_date', sa.Date))
    rows = bind.execute(sa.select(case.c.id, case.c.details).where(case.c.workflow == 'missed_bin')).all()
    for case_id, details in rows:
        if isinstance(details, str):
            details = json.loads(details)
        report = (details or {}).get('missed_bin') or {}
        if not report.get('address_key') or not report.get('collection_date'):
            continue
        bind.execute(case.update().where(case.c.id == case_id).values(
            address_key=str(report['address_key'])[:200],
            collection_date=dt.date.fromisoformat(report['collection_date'])))


def downgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_service_postcode')
        batch_op.drop_index('ix_case_service_location')
        batch_op.drop_index('ix_case_missed_address')
        batch_op.drop_column('location_key')
        batch_op.drop_column('collection_date')
        batch_op.drop_column('address_key')
