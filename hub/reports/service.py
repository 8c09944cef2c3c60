"""Managers' reports: channel shift, service performance and the partners' cost share.

The figures come from grouped SQL (hub.reports.queries); this module validates what was
asked for, keeps it inside the user's councils, and shapes the answers for pages and CSV.
A council outside the user's scope is answered as if it did not exist (404), so one
council's manager can never read, or even probe, another's figures.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any, Mapping
from zoneinfo import ZoneInfo

from hub.auth.access import Scope
from hub.partnership.models import CHANNELS
from hub.partnership.service import current
from hub.reports import charts, forms, queries
from hub.reports.filters import Filters

MAX_DAYS = 3 * 366
CHANNEL_NAMES = {"web": "Web", "sms": "SMS", "email": "Email", "api": "API", "phone": "Phone",
                 "face_to_face": "Face to face"}


class ReportError(ValueError):
    """The parameters cannot make a report (answered 400 with this message)."""


class ForeignCouncil(LookupError):
    """A council outside the user's scope was asked for (answered 404, revealing nothing)."""


def _today(tz: ZoneInfo) -> dt.date:
    return dt.datetime.now(tz).date()


def default_window(period: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """Twelve weeks (Monday-aligned) or three months (first of the month) up to today."""
    if period == "month":
        month = today.replace(day=1)
        for _ in range(2):
            month = (month - dt.timedelta(days=1)).replace(day=1)
        return month, today
    return today - dt.timedelta(days=today.weekday() + 77), today


# Reports cover the hub's lifetime; outside this, period arithmetic would overflow the calendar.
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2099, 12, 31)


def filters_from(args: Mapping[str, str], scope: Scope, *, now: dt.datetime | None = None) -> Filters:
    """Validate URL parameters into Filters; ReportError (400) or ForeignCouncil (404) if refused."""
    tz = ZoneInfo(current().partnership.timezone)
    form = forms.from_args(dict(args))
    if not form.validate():
        names = {"date_from": "from", "date_to": "to"}
        field, errors = next(iter(form.errors.items()))
        if field in names:
            raise ReportError(f"'{names[field]}' is not valid: dates are written YYYY-MM-DD, for example 2026-11-02")
        raise ReportError(f"'{field}' is not valid: {errors[0]}")
    period = form.period.data or "week"
    if period not in ("week", "month"):
        raise ReportError("'period' must be 'week' or 'month'")
    first, last = default_window(period, _today(tz))
    first, last = form.date_from.data or first, form.date_to.data or last
    if first > last:
        raise ReportError(f"'from' ({first.isoformat()}) is after 'to' ({last.isoformat()})")
    if first < EARLIEST or last > LATEST:
        raise ReportError(f"dates must be between {EARLIEST.isoformat()} and {LATEST.isoformat()}")
    if (last - first).days > MAX_DAYS:
        raise ReportError("the date range is longer than three years: choose a shorter one")
    authority = (form.authority.data or "").strip() or None
    if authority is not None:
        if authority not in {a["code"] for a in queries.authorities()}:
            raise ReportError(f"unknown council {authority!r}")
        if not scope.allows(authority):
            raise ForeignCouncil(authority)
    service = (form.service.data or "").strip() or None
    if service is not None and service not in {s["code"] for s in queries.services()}:
        raise ReportError(f"unknown service {service!r}")
    channel = (form.channel.data or "").strip() or None
    if channel is not None and channel not in CHANNELS:
        raise ReportError(f"unknown channel {channel!r}: one of {', '.join(CHANNELS)}")
    return Filters(first=first, last=last, period=period, tz=tz, scope=scope, authority=authority,
                   service=service, channel=channel, now=now)


def period_label(start: str, period: str) -> str:
    day = dt.date.fromisoformat(start)
    if period == "month":
        return day.strftime("%B %Y")
    return f"w/c {day.day} {day.strftime('%b %Y')}"


def money(pence: Any) -> str:
    """Pence as pounds, exactly ('1234' -> '12.34'), for pages and CSV."""
    if pence is None:
        return ""
    pence = int(round(pence))
    sign = "-" if pence < 0 else ""
    return f"{sign}{abs(pence) // 100}.{abs(pence) % 100:02d}"


def pounds(pence: Any) -> str:
    """Pence for people: '£12,989.70', '−£175.46' (a saving below the baseline is negative)."""
    if pence is None:
        return "–"
    pence = int(round(pence))
    return f"{'−' if pence < 0 else ''}£{abs(pence) // 100:,}.{abs(pence) % 100:02d}"


def choices(scope: Scope) -> dict[str, Any]:
    """What the filter form offers: only the councils the user may see."""
    return {"authorities": [a for a in queries.authorities() if scope.allows(a["code"])],
            "services": queries.services(), "channels": [(c, CHANNEL_NAMES[c]) for c in CHANNELS]}


def _labelled(rows: list[dict[str, Any]], period: str) -> list[dict[str, Any]]:
    for row in rows:
        row["label"] = period_label(row["period"], period)
    return rows


def channel_shift(f: Filters) -> dict[str, Any]:
    queries.prepare()
    by_period_channel, by_period, by_channel, totals = queries.channel_figures(
        f, [("period", "channel"), ("period",), ("channel",), ()])
    _labelled(by_period_channel, f.period)
    _labelled(by_period, f.period)
    return {
        "by_period": by_period, "by_period_channel": by_period_channel, "by_channel": by_channel,
        "totals": totals[0], "unit_costs": queries.unit_costs(),
        "volume_chart": charts.stacked("Contacts by channel", by_period_channel, {r["label"]: r["contacts"] for r in by_period},
                                       [(c, CHANNEL_NAMES[c]) for c in CHANNELS]),
        "digital_chart": charts.bars("Digital share of contacts",
                                     [(r["label"], r["digital_share"] or 0.0) for r in by_period], percent=True),
        "channel_chart": charts.bars("Self-served share by channel",
                                     [(CHANNEL_NAMES.get(r["channel"], r["channel"]), r["self_served_share"] or 0.0)
                                      for r in by_channel], percent=True),
    }


def service_performance(f: Filters) -> dict[str, Any]:
    queries.prepare()
    figures = queries.service_figures(f)
    workflows, by_period = figures["workflows"], _labelled(figures["by_period"], f.period)
    sets = [("period",), ()]
    times = queries.medians(f, sets)
    first_response, first_response_total = times["first_response"]
    resolution, resolution_total = times["resolution"]
    _labelled(first_response, f.period)
    _labelled(resolution, f.period)
    sla = [r for r in by_period if r["with_sla"]]
    return {
        "workflows": workflows, "reasons": queries.handover_reasons(f),
        "sla": sla, "sla_total": figures["total"],
        "first_response": first_response, "first_response_total": first_response_total[0],
        "resolution": resolution, "resolution_total": resolution_total[0],
        "repeats": by_period, "repeats_total": figures["total"],
        "misroutes": queries.misroutes(f),
        "completion_chart": charts.bars("Self-service completion by workflow",
                                        [(f"{r['workflow']} ({r['service']})", r["completion_rate"] or 0.0)
                                         for r in workflows], percent=True),
        "sla_chart": charts.bars("SLA compliance", [(r["label"], r["compliance"] or 0.0) for r in sla
                                                    if r["compliance"] is not None], percent=True),
    }


def cost_share(f: Filters) -> dict[str, Any]:
    queries.prepare()
    rows, totals = queries.cost_share(f, current().partnership.triage_authority)
    return {"rows": rows, "totals": totals,
            "chart": charts.bars("Share of the partnership's contacts", [(r["name"], r["contact_share"] or 0.0)
                                                                         for r in rows], percent=True)}


def _csv(header: list[str], rows: list[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _rate(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def channel_shift_csv(f: Filters) -> str:
    """One row per period, council and channel; `period` is the first local day of the period."""
    queries.prepare()
    (rows,) = queries.channel_figures(f, [("period", "authority", "channel")])
    return _csv(["period", "authority", "channel", "contacts", "self_served", "assisted", "cost",
                 "all_phone_cost", "saved"],
                [[r["period"], r["authority"] or "", r["channel"], r["contacts"], r["self_served"], r["assisted"],
                  money(r["cost_pence"]), money(r["baseline_pence"]), money(r["saved_pence"])] for r in rows])


def service_performance_csv(f: Filters) -> str:
    queries.prepare()
    rows = queries.service_figures(f)["workflows"]
    return _csv(["service", "workflow", "contacts", "self_served", "completion_rate", "escalated", "urgent",
                 "needs_info", "signposted"],
                [[r["service"] or "", r["workflow"], r["contacts"], r["self_served"], _rate(r["completion_rate"]),
                  r["escalated"], r["urgent"], r["needs_info"], r["signposted"]] for r in rows])


def cost_share_csv(f: Filters) -> str:
    queries.prepare()
    rows, _ = queries.cost_share(f, current().partnership.triage_authority)
    return _csv(["authority", "name", "partner", "contacts", "cost", "contact_share", "cost_share"],
                [[r["authority"], r["name"], "yes" if r["partner"] else "no", r["contacts"], money(r["cost_pence"]),
                  _rate(r["contact_share"]), _rate(r["cost_share"])] for r in rows])
