"""Managers' report pages and CSV downloads under /reports/ (managers and admins only)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, abort, render_template, request

from hub.auth.access import current_scope, staff_required
from hub.reports import service
from hub.reports.forms import PERIOD_CHOICES

bp = Blueprint("reports", __name__, url_prefix="/reports", static_folder="static")

PAGES = {"channel_shift": ("Channel shift", service.channel_shift, service.channel_shift_csv),
         "service_performance": ("Service performance", service.service_performance, service.service_performance_csv),
         "cost_share": ("Partnership cost share", service.cost_share, service.cost_share_csv)}


def _filters() -> Any:
    try:
        return service.filters_from(request.args.to_dict(), current_scope())
    except service.ForeignCouncil:
        abort(404)
    except service.ReportError as exc:
        abort(Response(f"Bad request: {exc}\n", status=400, mimetype="text/plain"))


def _page(name: str) -> Any:
    title, build, _ = PAGES[name]
    f = _filters()
    return render_template(f"reports/{name}.html", title=title, f=f, report=build(f), args=f.query_args(),
                           choices=service.choices(f.scope), periods=PERIOD_CHOICES, money=service.money, pounds=service.pounds,
                           pages=PAGES, current=name)


def _download(name: str, filename: str) -> Response:
    f = _filters()
    body = PAGES[name][2](f)
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}-{f.first.isoformat()}-to-{f.last.isoformat()}.csv"'})


@bp.get("/")
@staff_required("manager")
def channel_shift() -> Any:
    return _page("channel_shift")


@bp.get("/service-performance")
@staff_required("manager")
def service_performance() -> Any:
    return _page("service_performance")


@bp.get("/cost-share")
@staff_required("manager")
def cost_share() -> Any:
    return _page("cost_share")


@bp.get("/channel-shift.csv")
@staff_required("manager")
def channel_shift_csv() -> Response:
    return _download("channel_shift", "channel-shift")


@bp.get("/service-performance.csv")
@staff_required("manager")
def service_performance_csv() -> Response:
    return _download("service_performance", "service-performance")


@bp.get("/cost-share.csv")
@staff_required("manager")
def cost_share_csv() -> Response:
    return _download("cost_share", "cost-share")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
