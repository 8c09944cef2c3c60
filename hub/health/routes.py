"""`GET /healthz`: 200 when the hub can take contacts right now, 503 otherwise."""
from __future__ import annotations

from flask import Blueprint, jsonify

from hub.auth.access import public
from hub.health.checks import check

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@public
def healthz():  # type: ignore[no-untyped-def]
    checks = check()
    ok = all(v in ("ok", "in-process") for v in checks.values())
    return jsonify(status="ok" if ok else "unavailable", **checks), 200 if ok else 503
