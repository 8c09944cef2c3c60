"""The reports' grouped queries: every figure is computed by the database, never by Python loops.

A report page needs the same figures at several groupings (by period and channel, by period,
by channel, in total). Each is one statement: the contacts in the window are grouped once at
the finest grain in a CTE, and every grouping is summed from that CTE (UNION ALL, tagged by
`grouping_set`), so a million-row table is read once per statement, not once per table.
The council scope is applied here, on every query, so no page or download can bypass it.
"""
from __future__ import annotations

from typing import Any, Sequence

from sqlalchemy import BigInteger, Float, Integer, String, and_, case, cast, func, literal, null, or_, select, text, union_all
from sqlalchemy.sql.elements import ColumnElement

from hub.cases.models import Case, CaseEvent
from hub.db import session, utcnow
from hub.partnership.models import Authority, ContactCost, Service
from hub.reports import sql
from hub.reports.filters import Filters

DIGITAL = ("web", "sms", "email", "api")
HANDOVER = ("escalated", "urgent", "needs_info")
DISPOSITION_COUNTS = ("escalated", "urgent", "needs_info", "signposted")
DIM_ORDER = ("period", "authority", "service", "workflow", "channel")
Sets = Sequence[tuple[str, ...]]


def _dialect() -> str:
    return session.get_bind().dialect.name


def prepare() -> None:
    """Plan this transaction's report queries for what they read (PostgreSQL; SET LOCAL ends with it).

    - work_mem: the medians sort a window's timed contacts; 4MB would spill that to disk.
    - hash_mem_multiplier: PostgreSQL cannot tell how few distinct periods the period CASE
      yields, expects about one group per contact, and over a year's window sorted half a
      million rows to group them rather than hash a few hundred groups. The groups actually
      kept are periods × councils × services × channels: a few thousand at most.
    - random_page_cost: a window is read through ix_case_created (index-only, the columns
      INCLUDEd); at the default cost of 4 (spinning disks) the planner prefers scanning the
      whole table, which measured 1.5 to 4 times slower at a million contacts (decision 0020).
    - jit: compiling these one-off statements (40-50 ms each at a million contacts) costs more
      than it saves; a report runs three or four of them.
    """
    if _dialect() == "postgresql":
        session.execute(text("SET LOCAL jit = off"))
        session.execute(text("SET LOCAL work_mem = '64MB'"))
        session.execute(text("SET LOCAL hash_mem_multiplier = 8"))
        session.execute(text("SET LOCAL random_page_cost = 1.1"))


def _ratio(part: Any, whole: Any) -> ColumnElement[float]:
    return cast(part, Float) / func.nullif(cast(whole, Float), 0)


def _ones(condition: Any) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _pence(amount: Any) -> ColumnElement[int]:
    return cast(func.round(amount * 100), Integer)


def _dims(f: Filters, dims: Sequence[str], cols: Any = Case) -> list[ColumnElement[Any]]:
    """Grouping columns by name; `cols` is the Case entity or a subquery's `.c` of the same names."""
    columns = {
        "period": lambda: sql.period_of(cols.created_at, f.first, f.last, f.period, f.tz),
        "authority": lambda: cols.authority_code, "channel": lambda: cols.channel,
        "service": lambda: cols.service_code, "workflow": lambda: cols.workflow,
    }
    return [columns[d]().label(d) for d in dims]


def _where(stmt: Any, f: Filters, cols: Any = Case, *, scoped: bool = True) -> Any:
    stmt = stmt.where(cols.created_at >= f.start, cols.created_at < f.end)
    if scoped:
        stmt = f.scope.restrict(stmt, cols.authority_code)
        if f.authority:
            stmt = stmt.where(cols.authority_code == f.authority)
    if f.service:
        stmt = stmt.where(cols.service_code == f.service)
    if f.channel:
        stmt = stmt.where(cols.channel == f.channel)
    return stmt


def _rows(stmt: Any) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in session.execute(stmt)]


def _fine(sets: Sets) -> list[str]:
    return [d for d in DIM_ORDER if any(d in s for s in sets)]


def _summed(fine_cte: Any, fine: list[str], sets: Sets, sums: Sequence[str],
            ratios: dict[str, Any] | None = None, where: dict[int, Any] | None = None) -> list[list[dict[str, Any]]]:
    """Sum `sums` of a finely grouped CTE at each grouping in `sets`, in one statement.

    `ratios` maps a name to a function of the summed columns (a dict of name -> SQL); `where`
    narrows the rows of one grouping (by its index in `sets`). The
    grouping with no dimensions always yields one row (the totals), zero when nothing matched.
    """
    parts = []
    for index, dims in enumerate(sets):
        # PostgreSQL sums integers as NUMERIC: cast back so both databases answer with ints.
        summed = {name: cast(func.coalesce(func.sum(fine_cte.c[name]), 0), BigInteger) for name in sums}
        extra = {name: make(summed) for name, make in (ratios or {}).items()}
        cols = [fine_cte.c[d] if d in dims else cast(null(), String).label(d) for d in fine]
        part = select(literal(index, Integer).label("grouping_set"), *cols,
                      *[value.label(name) for name, value in {**summed, **extra}.items()])
        if where and index in where:
            part = part.where(where[index])
        parts.append(part.group_by(*[fine_cte.c[d] for d in dims]) if dims else part)
    union = union_all(*parts).subquery("sets")
    rows = _rows(select(union).order_by(union.c.grouping_set, *[union.c[d] for d in fine]))
    out: list[list[dict[str, Any]]] = [[] for _ in sets]
    for row in rows:
        index = row.pop("grouping_set")
        out[index].append({k: v for k, v in row.items() if k in sets[index] or k not in fine})
    return out


def _cost_unit(cols: Any = Case, costs: Any = ContactCost) -> Any:
    return case((cols.self_served, costs.self_service), else_=costs.assisted)


def _phone_assisted_pence() -> Any:
    return select(_pence(ContactCost.assisted)).where(ContactCost.channel == "phone").scalar_subquery()


CHANNEL_RATIOS = {
    "assisted": lambda s: s["contacts"] - s["self_served"],
    "self_served_share": lambda s: _ratio(s["self_served"], s["contacts"]),
    "digital_share": lambda s: _ratio(s["digital"], s["contacts"]),
    "cost_per_contact_pence": lambda s: _ratio(s["cost_pence"], s["contacts"]),
    "saved_pence": lambda s: s["baseline_pence"] - s["cost_pence"],
}


def channel_figures(f: Filters, sets: Sets) -> list[list[dict[str, Any]]]:
    """Contacts, self-served/assisted, digital share and cost (pence) against the all-phone baseline."""
    fine = _fine(sets)
    contacts = func.count(Case.id)
    grouped = select(
        *_dims(f, fine), contacts.label("contacts"), _ones(Case.self_served).label("self_served"),
        _ones(Case.channel.in_(DIGITAL)).label("digital"),
        func.coalesce(func.sum(_pence(_cost_unit())), 0).label("cost_pence"),
        (contacts * func.coalesce(_phone_assisted_pence(), 0)).label("baseline_pence"),
    ).select_from(Case).outerjoin(ContactCost, ContactCost.channel == Case.channel)
    grouped = _where(grouped, f)
    fine_cte = (grouped.group_by(*[c for c in grouped.selected_columns if c.key in fine]) if fine else grouped).cte("fine")
    return _summed(fine_cte, fine, sets, ("contacts", "self_served", "digital", "cost_pence", "baseline_pence"),
                   CHANNEL_RATIOS)


def unit_costs() -> list[dict[str, Any]]:
    stmt = select(ContactCost.channel, _pence(ContactCost.self_service).label("self_service_pence"),
                  _pence(ContactCost.assisted).label("assisted_pence")).order_by(ContactCost.channel)
    return _rows(stmt)


def handover_reasons(f: Filters, limit: int = 10) -> list[dict[str, Any]]:
    """The commonest recorded reasons why a workflow's contact went to people.

    Triage records a workflow's hand-over as a `triaged` event with the disposition in its data
    and the explanation as its reason; later escalations (a citizen who never answered) are
    `escalated` events.
    """
    handed_over = or_(CaseEvent.kind == "escalated", and_(
        CaseEvent.kind == "triaged", CaseEvent.data["disposition"].as_string().in_(HANDOVER)))
    stmt = (select(Case.workflow.label("workflow"), CaseEvent.reason.label("reason"), func.count().label("count"))
            .select_from(CaseEvent).join(Case, CaseEvent.case_id == Case.id)
            .where(handed_over, Case.workflow.is_not(None), CaseEvent.reason.is_not(None))
            .group_by(Case.workflow, CaseEvent.reason)
            .order_by(func.count().desc(), Case.workflow, CaseEvent.reason).limit(limit))
    return _rows(_where(stmt, f))


TIMES = {"first_response": "first_response_at", "resolution": "resolved_at"}


def medians(f: Filters, sets: Sets) -> dict[str, list[list[dict[str, Any]]]]:
    """Median hours from contact to first response and to resolution, over contacts with an SLA.

    Both measures in one statement (one read of the window): measure -> one list per grouping
    in `sets` of rows with the grouping's dimensions, `median` and `n`. A period with no timed
    contact for a measure has no row there; the totals always have one.
    """
    fine = _fine(sets)
    hours = {name: sql.seconds_between(_dialect(), getattr(Case, column), Case.created_at) / 3600.0
             for name, column in TIMES.items()}
    timed = _where(select(*_dims(f, fine), *[value.label(name) for name, value in hours.items()])
                   .where(Case.sla_due_at.is_not(None),
                          or_(*[getattr(Case, column).is_not(None) for column in TIMES.values()])), f).cte("timed")
    union = sql.medians(_dialect(), timed, fine, list(sets), list(TIMES)).subquery("sets")
    out: dict[str, list[list[dict[str, Any]]]] = {name: [[] for _ in sets] for name in TIMES}
    for row in _rows(select(union).order_by(union.c.grouping_set, *[union.c[d] for d in fine])):
        index = row.pop("grouping_set")
        dims = {k: v for k, v in row.items() if k in sets[index]}
        for name in TIMES:
            if row[f"{name}_n"] or not sets[index]:
                out[name][index].append({**dims, "median": row[f"{name}_median"], "n": row[f"{name}_n"]})
    for name in TIMES:
        for index, dims in enumerate(sets):
            if not dims and not out[name][index]:
                out[name][index].append({"median": None, "n": 0})
    return out


def service_figures(f: Filters) -> dict[str, Any]:
    """Workflow completion and hand-overs, SLA compliance and repeat contacts, in one pass.

    SLA: contacts handed to advisers get a deadline (`sla_due_at`). Answered = the first
    response, or the resolution when nobody replied first. Met when that is at or before the
    deadline; breached when later, or when still unanswered after it; pending when unanswered
    and the deadline has not passed (left out of the rate).

    Repeats (failure demand): contacts by a citizen about a service they contacted us about in
    the 7 days before (inclusive), whichever council or channel, possibly before the window.
    Each case carries that as `repeat_contact`, kept right as cases change (hub.cases.repeats),
    so the window is read once with no sort. Scope and filters apply to the repeat itself.
    """
    now = literal(f.now or utcnow(), Case.sla_due_at.type)
    answered = func.coalesce(Case.first_response_at, Case.resolved_at)
    has_sla = Case.sla_due_at.is_not(None)
    fine = ["period", "service", "workflow"]
    dims = _dims(f, fine)
    grouped = _where(select(
        *dims, func.count().label("contacts"), _ones(Case.self_served).label("self_served"),
        *[_ones(Case.disposition == d).label(d) for d in DISPOSITION_COUNTS],
        _ones(Case.disposition.in_(HANDOVER)).label("handed_over"), _ones(has_sla).label("with_sla"),
        _ones(and_(has_sla, answered <= Case.sla_due_at)).label("met"),
        _ones(and_(has_sla, or_(answered > Case.sla_due_at, and_(answered.is_(None), Case.sla_due_at < now)))).label("breached"),
        _ones(Case.repeat_contact).label("repeats"),
    ), f)
    fine_cte = grouped.group_by(*dims).cte("fine")
    sums = ("contacts", "self_served", *DISPOSITION_COUNTS, "handed_over", "with_sla", "met", "breached", "repeats")
    workflows, by_period, total = _summed(fine_cte, fine, [("service", "workflow"), ("period",), ()], sums, {
        "completion_rate": lambda s: _ratio(s["self_served"], s["contacts"]),
        "compliance": lambda s: _ratio(s["met"], s["met"] + s["breached"]),
        "repeat_rate": lambda s: _ratio(s["repeats"], s["contacts"]),
    }, where={0: fine_cte.c.workflow.is_not(None)})
    return {"workflows": workflows, "by_period": by_period, "total": total[0]}


def misroutes(f: Filters) -> list[dict[str, Any]]:
    """Transfers between councils of contacts in the window, by the council they left and joined.

    Scoped by the council the case now belongs to: a manager sees what was passed to them.
    """
    # Transfer events carry authority_from / authority_to (hub.adviser.service.transfer).
    src = CaseEvent.data["authority_from"].as_string()
    dst = CaseEvent.data["authority_to"].as_string()
    stmt = (select(src.label("from_authority"), dst.label("to_authority"), func.count().label("transfers"))
            .select_from(CaseEvent).join(Case, CaseEvent.case_id == Case.id).where(CaseEvent.kind == "transferred")
            .group_by(src, dst).order_by(func.count().desc(), src, dst))
    return _rows(_where(stmt, f))


def cost_share(f: Filters, triage_authority: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Each partner's contacts and cost as a share of the whole partnership's, for the window.

    This is what the partnership agreement recharges, so it covers every contact of the
    period and ignores the service and channel filters: with them, the totals would give a
    manager other councils' per-service figures. A contact for a council that is not a
    partner (signposted) or for no council was still handled by the shared contact centre,
    so it counts to the triage authority: the partners' shares add up to 100%.
    """
    owner = case((Authority.partner.is_(True), Case.authority_code), else_=literal(triage_authority))
    every = (select(owner.label("authority"), func.count(Case.id).label("contacts"),
                    func.coalesce(func.sum(_pence(_cost_unit())), 0).label("cost_pence"))
             .select_from(Case).outerjoin(ContactCost, ContactCost.channel == Case.channel)
             .outerjoin(Authority, Authority.code == Case.authority_code)
             .where(Case.created_at >= f.start, Case.created_at < f.end)
             .group_by(owner).cte("every"))
    shares = select(every, _ratio(every.c.contacts, func.sum(every.c.contacts).over()).label("contact_share"),
                    _ratio(every.c.cost_pence, func.sum(every.c.cost_pence).over()).label("cost_share"),
                    func.sum(every.c.contacts).over().label("total_contacts"),
                    func.sum(every.c.cost_pence).over().label("total_cost_pence")).subquery("shares")
    mine = select(shares, Authority.name.label("name"), Authority.partner.label("partner")).join(
        Authority, Authority.code == shares.c.authority)
    mine = f.scope.restrict(mine, shares.c.authority)
    if f.authority:
        mine = mine.where(shares.c.authority == f.authority)
    rows = _rows(mine.order_by(shares.c.authority))
    if rows:
        totals = {"contacts": rows[0]["total_contacts"], "cost_pence": rows[0]["total_cost_pence"]}
    else:  # none of the user's councils had contacts: the totals still matter, read them alone
        totals = _rows(select(func.coalesce(func.sum(every.c.contacts), 0).label("contacts"),
                              func.coalesce(func.sum(every.c.cost_pence), 0).label("cost_pence")))[0]
    return rows, totals


def authorities() -> list[dict[str, Any]]:
    return _rows(select(Authority.code, Authority.name, Authority.partner).order_by(Authority.name))


def services() -> list[dict[str, Any]]:
    return _rows(select(Service.code, Service.name).order_by(Service.name))
