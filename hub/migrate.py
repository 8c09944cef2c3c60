"""Alembic, driven from the app's settings (so `hub db upgrade` needs no alembic.ini)."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from flask import current_app

from hub.app import ROOT

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported where it is used: importing it sets up its autogenerate plugins, which
# log a line each at INFO, noise on every command that only reads.


def alembic_config(url: str | None = None) -> "Config":
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", (url or current_app.config["HUB_SETTINGS"].database_url).replace("%", "%%"))
    return cfg


def upgrade(revision: str = "head", url: str | None = None) -> None:
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def downgrade(revision: str, url: str | None = None) -> None:
    from alembic import command

    command.downgrade(alembic_config(url), revision)


def behind() -> str | None:
    """Why the database cannot serve this code yet (not created, or migrations pending), or None.

    Commands that read cases call this first, so an operator who skipped `hub db upgrade`
    is told what to run instead of reading a stack trace about a missing table or column.
    """
    quiet = logging.getLogger("alembic")
    level = quiet.level
    quiet.setLevel(logging.WARNING)  # a read, not a migration: none of alembic's progress lines
    try:
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        heads = set(ScriptDirectory.from_config(alembic_config()).get_heads())
        with current_app.extensions["hub.engine"].connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    finally:
        quiet.setLevel(level)
    if current == heads:
        return None
    if not current:
        return "the database has no tables yet"
    return f"the database is at revision {', '.join(sorted(current))}, the code needs {', '.join(sorted(heads))}"
