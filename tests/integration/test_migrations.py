"""Models and migrations agree; migrations run down and up again."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

import hub.schema
from hub.migrate import downgrade, upgrade


def _diff(url):
    engine = create_engine(url)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, hub.schema.metadata)
    engine.dispose()
    return diff


def test_models_and_migrations_agree_on_postgresql(pg_app, pg_database_url):
    assert _diff(pg_database_url) == []


def test_models_and_migrations_agree_on_sqlite(sqlite_template):
    """SQLite only (the PostgreSQL check is above): the template every SQLite test copies."""
    assert _diff(f"sqlite:///{sqlite_template}") == []


CHECKS = text("""
    SELECT t.relname AS table_name, c.conname, pg_get_constraintdef(c.oid) AS definition
      FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE c.contype = 'c' AND n.nspname = :schema""")


def _checks(conn, schema):
    return {(row.table_name, row.conname): row.definition for row in conn.execute(CHECKS, {"schema": schema})}


def test_check_constraints_of_models_and_migrations_agree_on_postgresql(pg_app, pg_database_url):
    """compare_metadata ignores CHECK constraints: a status added to a model without a migration
    would pass it and then fail at run time on PostgreSQL (ck_case_status_known).

    The models are created in a scratch schema of the migrated database, and PostgreSQL's own
    rendering of each constraint (pg_get_constraintdef) is compared, name by name.
    """
    engine = create_engine(pg_database_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS models_only CASCADE"))
            conn.execute(text("CREATE SCHEMA models_only"))
            hub.schema.metadata.create_all(conn.execution_options(schema_translate_map={None: "models_only"}))
            from_models, migrated = _checks(conn, "models_only"), _checks(conn, "public")
            conn.execute(text("DROP SCHEMA models_only CASCADE"))
    finally:
        engine.dispose()
    assert ("case", "ck_case_status_known") in from_models
    assert migrated == from_models


def test_downgrade_and_upgrade_again(tmp_path, new_app):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    app = new_app(url)
    with app.app_context():
        upgrade("head", url)
        downgrade("base", url)
        assert set(inspect(create_engine(url)).get_table_names()) <= {"alembic_version"}
        upgrade("head", url)
        assert "case" in inspect(create_engine(url)).get_table_names()


def test_case_contact_details_are_backfilled_from_the_linked_citizen(tmp_path, new_app):
    """0005c: existing cases keep replying and tracking as before, from their own columns."""
    url = f"sqlite:///{tmp_path / 'c.db'}"
    app = new_app(url)
    with app.app_context():
        upgrade("head", url)
        downgrade("0005c-1", url)
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO citizen (id, name, email, phone, sms_opted_out, created_at, updated_at) "
                              "VALUES (1, 'Ann Example', 'ann@example.org', '+447700900100', 0, "
                              "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"))
            for case_id, citizen_id in ((1, 1), (2, None)):
                conn.execute(text(
                    'INSERT INTO "case" (id, reference, channel, citizen_id, status, priority, triage, details, '
                    "self_served, created_at, updated_at) VALUES (:id, :ref, 'sms', :citizen, 'open', 2, '{}', "
                    "'{}', 0, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"),
                    {"id": case_id, "ref": f"ABCD-EFG{case_id}", "citizen": citizen_id})
        upgrade("0005c", url)
        with engine.connect() as conn:
            rows = conn.execute(text('SELECT id, contact_name, contact_email, contact_phone FROM "case" ORDER BY id'))
            assert [tuple(r) for r in rows] == [(1, "Ann Example", "ann@example.org", "+447700900100"),
                                                (2, None, None, None)]
        engine.dispose()
