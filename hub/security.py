"""CSRF protection for every form, decided in one place.

Provider webhooks (/channels/…) and the Open311 API authenticate each request themselves
(signatures, bearer tokens, API keys) and carry no browser session, so they are the only
paths exempt. Everything else that changes state needs a valid token.
"""
from __future__ import annotations

from flask import Flask, request
from flask_wtf.csrf import CSRFProtect

CSRF_EXEMPT_PREFIXES = ("/channels/", "/open311/")
csrf = CSRFProtect()


def init_app(app: Flask) -> None:
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", 8 * 3600)
    csrf.init_app(app)

    @app.before_request
    def _csrf_protect() -> None:
        if request.method in ("POST", "PUT", "PATCH", "DELETE") and not request.path.startswith(CSRF_EXEMPT_PREFIXES):
            csrf.protect()
