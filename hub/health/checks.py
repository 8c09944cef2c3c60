"""The checks behind /healthz: can we store a contact, and hand work to the queue."""
from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import text

from hub.db import get_session

log = logging.getLogger(__name__)


def check() -> dict[str, str]:
    checks: dict[str, str] = {}
    try:
        get_session().execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:
        log.warning("health check: database unavailable: %s", exc)
        checks["database"] = "unavailable"
    if current_app.config["HUB_SETTINGS"].redis_url:
        try:
            from hub.jobs.rq_backend import connection

            connection().ping()
            checks["redis"] = "ok"
        except Exception as exc:
            log.warning("health check: redis unavailable: %s", exc)
            checks["redis"] = "unavailable"
    else:
        checks["jobs"] = "in-process"
    return checks
