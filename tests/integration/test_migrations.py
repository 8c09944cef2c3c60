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
