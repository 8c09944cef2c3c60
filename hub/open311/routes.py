"""`/open311/v2/`: GeoReport v2 discovery, services and requests, JSON and XML."""
from __future__ import annotations

import logging

from flask import Blueprint, Flask, Response, request, url_for

from hub.auth.access import public
from hub.open311 import service
from hub.open311.render import error, respond

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")
log = logging.getLogger(__name__)


def _guard(fmt: str, produce) -> Response:  # type: ignore[no-untyped-def]
    """Turn the service's refusals into GeoReport error lists, logged with the reason."""
    try:
        return produce()
    except service.Open311Error as exc:
        log.info("open311 refused: %s", exc.description, extra={"status": exc.status, "path": request.path})
        return error(fmt, exc.status, exc.description)


@bp.get("/discovery.<any(json,xml):fmt>")
@public
def discovery(fmt: str) -> Response:
    return _guard(fmt, lambda: respond(fmt, "discovery", service.discovery(url_for("open311.discovery", fmt=fmt, _external=True).rsplit("/", 1)[0] + "/")))


@bp.get("/services.<any(json,xml):fmt>")
@public
def services(fmt: str) -> Response:
    return _guard(fmt, lambda: respond(fmt, "services", service.service_list(
        service.jurisdiction(request.args.get("jurisdiction_id")))))


@bp.get("/services/<path:code>.<any(json,xml):fmt>")
@public
def service_definition(code: str, fmt: str) -> Response:
    return _guard(fmt, lambda: respond(fmt, "service_definition", service.service_definition(
        service.jurisdiction(request.args.get("jurisdiction_id")), code)))


@bp.get("/requests.<any(json,xml):fmt>")
@public
def requests(fmt: str) -> Response:
    return _guard(fmt, lambda: respond(fmt, "service_requests", service.request_list(
        service.jurisdiction(request.args.get("jurisdiction_id")), request.args.to_dict())))


@bp.post("/requests.<any(json,xml):fmt>")
@public
def create(fmt: str) -> Response:
    form = request.form.to_dict()
    return _guard(fmt, lambda: respond(fmt, "service_requests", [service.create_request(
        service.jurisdiction(form.get("jurisdiction_id") or request.args.get("jurisdiction_id")), form)], 201))


@bp.get("/requests/<request_id>.<any(json,xml):fmt>")
@public
def one(request_id: str, fmt: str) -> Response:
    return _guard(fmt, lambda: respond(fmt, "service_requests", [service.one_request(
        service.jurisdiction(request.args.get("jurisdiction_id")), request_id)]))


@bp.get("/tokens/<token>.<any(json,xml):fmt>")
@public
def token(token: str, fmt: str) -> Response:
    """Requests get their id at once, so no token is ever pending."""
    return _guard(fmt, lambda: error(fmt, 404, "this endpoint returns request ids directly; tokens are not used"))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
