"""Per-case contact details (name, email, phone given with the case's own contacts).

Reviewed by hand: three nullable columns on `case` (no server default needed, existing rows stay
valid); `batch_alter_table` so SQLite rebuilds the table, PostgreSQL gets plain ALTERs. The
upgrade backfills them from each case's linked citizen with one correlated UPDATE (portable
between SQLite and PostgreSQL; `case` is quoted by the table construct), so replies and tracking
keep working for existing cases exactly as before. Cases without a citizen stay empty.
Downgrade drops the columns (the citizen records were never changed).

Revision ID: 0005c
Revises: 0004w
Create Date: 2026-11-29 15:19:55.638603
"""
from alembic import op
import sqlalchemy as sa


revision = '0005c'
down_revision = '0004w'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('contact_email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('contact_phone', sa.String(length=20), nullable=True))
    case = sa.table('case', sa.column('citizen_id', sa.Integer), sa.column('contact_name', sa.String),
                    sa.column('contact_email', sa.String), sa.column('contact_phone', sa.String))
    citizen = sa.table('citizen', sa.column('id', sa.Integer), sa.column('name', sa.String),
                       sa.column('email', sa.String), sa.column('phone', sa.String))

    def of_citizen(col: sa.ColumnClause) -> sa.ScalarSelect:
        return sa.select(col).where(citizen.c.id == case.c.citizen_id).scalar_subquery()

    op.execute(case.update().where(case.c.citizen_id.is_not(None)).values(
        contact_name=of_citizen(citizen.c.name), contact_email=of_citizen(citizen.c.email),
        contact_phone=of_citizen(citizen.c.phone)))


def downgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_column('contact_phone')
        batch_op.drop_column('contact_email')
        batch_op.drop_column('contact_name')
