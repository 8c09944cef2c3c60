"""Request plumbing: ids in URLs, and one commit per request (after a successful response,
commit, then dispatch its jobs)."""
from __future__ import annotations

import logging

from flask import Flask, Response
from werkzeug.routing import IntegerConverter

from hub.db import get_session
from hub.jobs.dispatch import commit_and_dispatch

log = logging.getLogger(__name__)

# Row ids are 32-bit integers on PostgreSQL: a larger number in a URL or form is no row at all.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<id:case_id>`: a row id, 1 to MAX_ID; anything else does not match (404, not a 500)."""

    def __init__(self, map, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(map, min=1, max=MAX_ID)


def parse_id(text: str | None) -> int | None:
    """A row id typed into a form, or None when it cannot be one."""
    if not text or len(text) > 10 or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


def register_converters(app: Flask) -> None:
    app.url_map.converters["id"] = IdConverter


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
