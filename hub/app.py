"""The application factory: the one place where the hub's parts are put together.

Nothing is read from the environment at import time; tests build apps with their own
settings. This module is the composition root, so it alone may import channels.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Mapping

from flask import Flask

from hub import db
from hub.config import Settings

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"


def create_app(environ: Mapping[str, str] | None = None, **overrides: Any) -> Flask:
    app = Flask("hub", template_folder=str(TEMPLATES), instance_path=str(ROOT / "instance"),
                instance_relative_config=True)
    settings = Settings.from_env(environ, instance_path=app.instance_path)
    if overrides:
        from dataclasses import replace

        settings = replace(settings, **overrides)
    if settings.database_url.startswith("sqlite"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(
        HUB_SETTINGS=settings,
        SECRET_KEY=settings.secret_key,
        TESTING=settings.env == "test",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        MAX_CONTENT_LENGTH=12 * 1024 * 1024,
    )
    logging.basicConfig(level=logging.INFO if settings.env != "test" else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")

    import hub.schema  # noqa: F401  (all models, the append-only guard, repeat contacts)
    from hub.partnership.schema import read

    db.init_app(app, settings.database_url)
    from hub.partnership.service import install

    doc, _raw = read(settings.partnership_path)
    install(app, doc, None)  # the file until a loaded partnership is found in the database

    from hub import frontend, security
    from hub.health.routes import bp as health_bp
    from hub.web import register_commit_hooks, register_converters

    register_converters(app)  # before any blueprint uses <id:...>
    frontend.init_app(app)  # GOV.UK Frontend templates; strict undefined (see hub/frontend.py)
    security.init_app(app)  # CSRF (webhooks exempt), security headers, rate limiter
    app.register_blueprint(health_bp)
    register_commit_hooks(app)
    _register_optional_blueprints(app)

    from hub.cli import register_commands

    register_commands(app)
    return app


def _register_optional_blueprints(app: Flask) -> None:
    """Feature packages that exist register themselves; their absence is not an error."""
    import importlib

    for module_name in ("hub.auth.routes", "hub.portal.routes", "hub.adviser.routes", "hub.reports.routes",
                        "channels.sms.routes", "channels.email.routes", "hub.open311.routes"):
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                continue
            raise
        module.init_app(app)
