"""Alembic, driven from the app's settings (so `hub db upgrade` needs no alembic.ini)."""
from __future__ import annotations

from alembic import command
from alembic.config import Config
from flask import current_app

from hub.app import ROOT


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", (url or current_app.config["HUB_SETTINGS"].database_url).replace("%", "%%"))
    return cfg


def upgrade(revision: str = "head", url: str | None = None) -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(revision: str, url: str | None = None) -> None:
    command.downgrade(alembic_config(url), revision)
