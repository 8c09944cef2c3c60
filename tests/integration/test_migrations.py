"""Models and migrations agree; migrations run down and up again."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

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


def test_models_and_migrations_agree_on_sqlite(app, database_url):
    if database_url.startswith("sqlite"):
        assert _diff(database_url) == []


def test_downgrade_and_upgrade_again(tmp_path, new_app):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    app = new_app(url)
    with app.app_context():
        upgrade("head", url)
        downgrade("base", url)
        assert set(inspect(create_engine(url)).get_table_names()) <= {"alembic_version"}
        upgrade("head", url)
        assert "case" in inspect(create_engine(url)).get_table_names()
