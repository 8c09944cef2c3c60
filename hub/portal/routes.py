"""The citizen portal (start page for now; the journeys come with the portal work)."""
from __future__ import annotations

from flask import Blueprint, Flask, render_template

from hub.auth.access import public
from hub.partnership.service import current

bp = Blueprint("portal", __name__)


@bp.get("/")
@public
def start():  # type: ignore[no-untyped-def]
    doc = current()
    return render_template("portal/start.html", partnership=doc.partnership, services=doc.services)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
