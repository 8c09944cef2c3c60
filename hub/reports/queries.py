"""The reports' grouped queries: every figure is computed by the database, never by Python loops.

Each function takes validated `Filters` and a tuple of dimensions to group by ("period",
"authority", "channel", "service"); an empty tuple gives the totals. The council scope is
applied here, on every query, so no page or download can bypass it.
"""
from __future__ import annotations

from typing import Any, Sequence

from sqlalchemy import Float, Integer, and_, case, cast, exists, func, literal, or_, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from hub.cases.models import Case, CaseEvent
from hub.db import session, utcnow
from hub.partnership.models import Authority, ContactCost, Service
from hub.reports import sql
from hub.reports.filters import Filters

DIGITAL = ("web", "sms", "email", "api")
HANDOVER = ("escalated", "urgent", "needs_info")
REPEAT_DAYS = 7


def _dialect() -> str:
    return session.get_bind().dialect.name


def _ratio(part: Any, whole: Any) -> ColumnElement[float]:
    return cast(part, Float) / func.nullif(cast(whole, Float), 0)


def _ones(condition: Any) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _pence(amount: Any) -> ColumnElement[int]:
    return cast(func.round(amount * 100), Integer)


def _dims(f: Filters, dims: Sequence[str], table: Any = Case) -> list[ColumnElement[Any]]:
    columns = {
        "period": lambda: sql.period_start(_dialect(), table.created_at, f.period, f.tz, f.start, f.end),
        "authority": lambda: table.authority_code,
        "channel": lambda: table.channel,
        "service": lambda: table.service_code,
        "workflow": lambda: table.workflow,
    }
    return [columns[d]().label(d) for d in dims]


def _where(stmt: Any, f: Filters, table: Any = Case, *, scoped: bool = True) -> Any:
    stmt = stmt.where(table.created_at >= f.start, table.created_at < f.end)
    if scoped:
        stmt = f.scope.restrict(stmt, table.authority_code)
        if f.authority:
            stmt = stmt.where(table.authority_code == f.authority)
    if f.service:
        stmt = stmt.where(table.service_code == f.service)
    if f.channel:
        stmt = stmt.where(table.channel == f.channel)
    return stmt


def _rows(stmt: Any) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in session.execute(stmt)]


def _grouped(stmt: Any, cols: list[ColumnElement[Any]]) -> Any:
    return stmt.group_by(*cols).order_by(*cols) if cols else stmt


def _phone_assisted_pence() -> Any:
    return select(_pence(ContactCost.assisted)).where(ContactCost.channel == "phone").scalar_subquery()


def channel_figures(f: Filters, dims: Sequence[str]) -> list[dict[str, Any]]:
    """Contacts, self-served/assisted, digital share and cost (pence) with the all-phone baseline."""
    unit = case((Case.self_served, ContactCost.self_service), else_=ContactCost.assisted)
    contacts = func.count(Case.id)
    cost = func.coalesce(func.sum(_pence(unit)), 0)
    baseline = contacts * func.coalesce(_phone_assisted_pence(), 0)
    digital = _ones(Case.channel.in_(DIGITAL))
    cols = _dims(f, dims)
    stmt = select(
        *cols, contacts.label("contacts"), _ones(Case.self_served).label("self_served"),
        _ones(~Case.self_served).label("assisted"),
        _ratio(_ones(Case.self_served), contacts).label("self_served_share"), digital.label("digital"),
        _ratio(digital, contacts).label("digital_share"), cost.label("cost_pence"),
        _ratio(cost, contacts).label("cost_per_contact_pence"), baseline.label("baseline_pence"),
        (baseline - cost).label("saved_pence"),
    ).select_from(Case).outerjoin(ContactCost, ContactCost.channel == Case.channel)
    return _rows(_grouped(_where(stmt, f), cols))


def unit_costs() -> list[dict[str, Any]]:
    stmt = select(ContactCost.channel, _pence(ContactCost.self_service).label("self_service_pence"),
                  _pence(ContactCost.assisted).label("assisted_pence")).order_by(ContactCost.channel)
    return _rows(stmt)


def workflow_figures(f: Filters) -> list[dict[str, Any]]:
    """Per service and workflow: how many contacts a workflow finished, and where it handed over."""
    cols = _dims(f, ("service", "workflow"))
    contacts = func.count(Case.id)
    done = _ones(Case.self_served)
    stmt = select(
        *cols, contacts.label("contacts"), done.label("self_served"), _ratio(done, contacts).label("completion_rate"),
        *[_ones(Case.disposition == d).label(d) for d in ("escalated", "urgent", "needs_info", "signposted")],
        _ones(Case.disposition.in_(HANDOVER)).label("handed_over"),
    ).where(Case.workflow.is_not(None))
    return _rows(_grouped(_where(stmt, f), cols))


def handover_reasons(f: Filters, limit: int = 10) -> list[dict[str, Any]]:
    """The commonest reasons recorded when a workflow's contact was escalated to advisers."""
    stmt = (select(Case.workflow.label("workflow"), CaseEvent.reason.label("reason"), func.count().label("count"))
            .join(CaseEvent, CaseEvent.case_id == Case.id)
            .where(CaseEvent.kind == "escalated", Case.workflow.is_not(None), CaseEvent.reason.is_not(None))
            .group_by(Case.workflow, CaseEvent.reason)
            .order_by(func.count().desc(), Case.workflow, CaseEvent.reason).limit(limit))
    return _rows(_where(stmt, f))


def sla_figures(f: Filters, dims: Sequence[str]) -> list[dict[str, Any]]:
    """SLA compliance of contacts handed to advisers (those given a deadline, `sla_due_at`).

    Answered = the first response, or the resolution when nobody replied first. Met when that is
    at or before the deadline; breached when later, or when still unanswered after it; pending
    when unanswered and the deadline has not passed (left out of the rate).
    """
    now = f.now or utcnow()
    answered = func.coalesce(Case.first_response_at, Case.resolved_at)
    met = _ones(answered <= Case.sla_due_at)
    breached = _ones(or_(answered > Case.sla_due_at, and_(answered.is_(None), Case.sla_due_at < literal(now, Case.sla_due_at.type))))
    cols = _dims(f, dims)
    stmt = select(*cols, func.count(Case.id).label("with_sla"), met.label("met"), breached.label("breached"),
                  _ratio(met, met + breached).label("compliance")).where(Case.sla_due_at.is_not(None))
    return _rows(_grouped(_where(stmt, f), cols))


def median_hours(f: Filters, dims: Sequence[str], until: str) -> list[dict[str, Any]]:
    """Median hours from contact to `first_response_at` or `resolved_at`, over contacts with an SLA."""
    later = getattr(Case, until)
    value = sql.seconds_between(_dialect(), later, Case.created_at) / 3600.0
    cols = _dims(f, dims)
    source = _where(select(*cols, value.label("value")).where(Case.sla_due_at.is_not(None), later.is_not(None)), f)
    return _rows(sql.median(_dialect(), source.subquery("timed"), list(dims)).order_by(*dims))


def repeat_figures(f: Filters, dims: Sequence[str]) -> list[dict[str, Any]]:
    """Failure demand: contacts by a citizen about a service they contacted us about in the 7 days before.

    The earlier contact may fall before the window; it is matched on (citizen_id, created_at),
    the ix_case_citizen index, by equality and a range.
    """
    earlier = aliased(Case)
    repeat = exists().where(
        earlier.citizen_id == Case.citizen_id, earlier.service_code == Case.service_code,
        earlier.created_at < Case.created_at,
        earlier.created_at >= sql.days_before(_dialect(), Case.created_at, REPEAT_DAYS),
    )
    cols = _dims(f, dims)
    repeats = _ones(and_(Case.citizen_id.is_not(None), Case.service_code.is_not(None), repeat))
    stmt = select(*cols, func.count(Case.id).label("contacts"), repeats.label("repeats"),
                  _ratio(repeats, func.count(Case.id)).label("repeat_rate"))
    return _rows(_grouped(_where(stmt, f), cols))


def misroutes(f: Filters) -> list[dict[str, Any]]:
    """Transfers between councils of contacts in the window, by the council they left and joined.

    Scoped by the council the case now belongs to: a manager sees what was passed to them.
    """
    src = CaseEvent.data["from_authority"].as_string()
    dst = CaseEvent.data["to_authority"].as_string()
    stmt = (select(src.label("from_authority"), dst.label("to_authority"), func.count().label("transfers"))
            .select_from(Case).join(CaseEvent, CaseEvent.case_id == Case.id).where(CaseEvent.kind == "transferred")
            .group_by(src, dst).order_by(func.count().desc(), src, dst))
    return _rows(_where(stmt, f))


def cost_share(f: Filters) -> list[dict[str, Any]]:
    """Each council's contacts and cost as a share of the whole partnership's for the window.

    The denominators cover every council (with the same date, service and channel filters):
    a partner's share of the hub's cost is what the partnership agreement recharges. Only the
    totals leave the scope, never another council's own figures.
    """
    unit = case((Case.self_served, ContactCost.self_service), else_=ContactCost.assisted)
    cost = func.coalesce(func.sum(_pence(unit)), 0)
    everyone = aliased(Case)
    every_cost = aliased(ContactCost)
    every_unit = case((everyone.self_served, every_cost.self_service), else_=every_cost.assisted)
    total_contacts = _where(select(func.count(everyone.id)), f, everyone, scoped=False).scalar_subquery()
    total_cost = _where(select(func.coalesce(func.sum(_pence(every_unit)), 0))
                        .select_from(everyone).outerjoin(every_cost, every_cost.channel == everyone.channel),
                        f, everyone, scoped=False).scalar_subquery()
    stmt = (select(Case.authority_code.label("authority"), Authority.name.label("name"),
                   Authority.partner.label("partner"), func.count(Case.id).label("contacts"),
                   cost.label("cost_pence"), _ratio(func.count(Case.id), total_contacts).label("contact_share"),
                   _ratio(cost, total_cost).label("cost_share"))
            .select_from(Case).join(Authority, Authority.code == Case.authority_code)
            .outerjoin(ContactCost, ContactCost.channel == Case.channel)
            .group_by(Case.authority_code, Authority.name, Authority.partner).order_by(Case.authority_code))
    return _rows(_where(stmt, f))


def partnership_totals(f: Filters) -> dict[str, Any]:
    """Contacts and cost of the whole partnership for the window: the cost-share denominators."""
    unit = case((Case.self_served, ContactCost.self_service), else_=ContactCost.assisted)
    stmt = (select(func.count(Case.id).label("contacts"), func.coalesce(func.sum(_pence(unit)), 0).label("cost_pence"))
            .select_from(Case).outerjoin(ContactCost, ContactCost.channel == Case.channel))
    return _rows(_where(stmt, f, scoped=False))[0]


def authorities() -> list[dict[str, Any]]:
    return _rows(select(Authority.code, Authority.name, Authority.partner).order_by(Authority.name))


def services() -> list[dict[str, Any]]:
    return _rows(select(Service.code, Service.name).order_by(Service.name))

