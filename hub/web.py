"""One commit per request: after a successful response, commit, then dispatch its jobs."""
from __future__ import annotations

import logging

from flask import Flask, Response

from hub.db import get_session
from hub.jobs.dispatch import commit_and_dispatch

log = logging.getLogger(__name__)


def register_commit_hooks(app: Flask) -> None:
    @app.after_request
    def _commit(response: Response) -> Response:
        if response.status_code < 400:
            commit_and_dispatch()
        else:
            try:
                get_session().rollback()
            except Exception:  # a broken connection: the session is discarded at teardown
                log.warning("rollback failed", exc_info=True)
        return response
