"""Every read and write of cases for the adviser workspace, scoped to the user's councils.

This is the one place where a council's cases are kept from another council's staff:
every function takes a `Scope` and applies it in SQL, so a case outside the scope is
simply not found (the routes turn that into a 404). Nothing here commits.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Sequence

from sqlalchemy import case as sql_case
from sqlalchemy import func, or_, select, tuple_, update

from hub.adviser.models import AuditLog
from hub.auth.access import Scope
from hub.cases.models import QUEUE_STATUSES, Case, CaseEvent, Message
from hub.db import session
from hub.partnership.models import Authority, Service
from hub.users.models import Membership, User

DUE_SOON = dt.timedelta(hours=2)


@dataclass(frozen=True)
class QueueFilter:
    """The queue's filters, as chosen on the page (None: not filtered)."""

    authority: str | None = None
    service: str | None = None
    channel: str | None = None
    status: str | None = None
    assigned: str | None = None  # "me", "unassigned"
    sla: str | None = None  # "breached", "due_soon"


# (priority, sla_due_at or None, id) of the last row shown: the next page starts after it.
Cursor = tuple[int, dt.datetime | None, int]
QUEUE_ORDER = (Case.priority, Case.sla_due_at.asc().nulls_last(), Case.id)


def _scoped(scope: Scope, stmt: Any) -> Any:
    return scope.restrict(stmt, Case.authority_code)


def _filtered(stmt: Any, f: QueueFilter, user_id: int, now: dt.datetime) -> Any:
    stmt = stmt.where(Case.status.in_([f.status] if f.status in QUEUE_STATUSES else QUEUE_STATUSES))
    if f.authority:
        stmt = stmt.where(Case.authority_code == f.authority)
    if f.service:
        stmt = stmt.where(Case.service_code == f.service)
    if f.channel:
        stmt = stmt.where(Case.channel == f.channel)
    if f.assigned == "me":
        stmt = stmt.where(Case.assigned_to_id == user_id)
    elif f.assigned == "unassigned":
        stmt = stmt.where(Case.assigned_to_id.is_(None))
    if f.sla == "breached":
        stmt = stmt.where(Case.sla_due_at < now)
    elif f.sla == "due_soon":
        stmt = stmt.where(Case.sla_due_at >= now, Case.sla_due_at < now + DUE_SOON)
    return stmt


def queue_statement(scope: Scope, f: QueueFilter, user_id: int, *, now: dt.datetime,
                    after: Cursor | None = None, limit: int = 25) -> Any:
    """The SELECT for one page of the queue (also timed bare by bench/adviser_queue.py)."""
    stmt = _filtered(_scoped(scope, select(Case)), f, user_id, now)
    if after is not None:
        priority, due, last_id = after
        if due is None:  # the rest of this priority band has no SLA; NULLs sort last
            stmt = stmt.where(or_(Case.priority > priority,
                                  (Case.priority == priority) & Case.sla_due_at.is_(None) & (Case.id > last_id)))
        else:
            stmt = stmt.where(or_(tuple_(Case.priority, Case.sla_due_at, Case.id) > (priority, due, last_id),
                                  (Case.priority == priority) & Case.sla_due_at.is_(None)))
    return stmt.order_by(*QUEUE_ORDER).limit(limit)


def queue_page(scope: Scope, f: QueueFilter, user_id: int, *, now: dt.datetime,
               after: Cursor | None = None, limit: int = 25) -> Sequence[Case]:
    """One page of the queue: urgent first, then by SLA due time; keyset-paginated."""
    return session.scalars(queue_statement(scope, f, user_id, now=now, after=after, limit=limit)).all()


FACETS = ("authority", "service", "channel", "status", "assigned", "sla")


def counts_statement(scope: Scope, user_id: int, *, now: dt.datetime) -> Any:
    assigned = sql_case((Case.assigned_to_id.is_(None), "unassigned"),
                        (Case.assigned_to_id == user_id, "me"), else_="other")
    sla = sql_case((Case.sla_due_at < now, "breached"), (Case.sla_due_at < now + DUE_SOON, "due_soon"),
                   else_="ok")
    cols = (Case.authority_code, Case.service_code, Case.channel, Case.status, assigned, sla)
    return _scoped(scope, select(*cols, func.count()).where(Case.status.in_(QUEUE_STATUSES))).group_by(*cols)


def queue_counts(scope: Scope, user_id: int, *, now: dt.datetime) -> dict[str, dict[str, int]]:
    """How many of my councils' queue cases fall under each filter value, in one GROUP BY."""
    counts: dict[str, dict[str, int]] = {k: {} for k in FACETS + ("total",)}
    for *keys, n in session.execute(counts_statement(scope, user_id, now=now)):
        for facet, key in zip(FACETS, keys):
            bucket = counts[facet]
            bucket[key or "none"] = bucket.get(key or "none", 0) + n
        counts["total"]["all"] = counts["total"].get("all", 0) + n
    return counts


def take_statement(scope: Scope, f: QueueFilter, user_id: int, *, now: dt.datetime, limit: int = 1) -> Any:
    """The first unassigned queue cases' ids, in queue order."""
    return _filtered(_scoped(scope, select(Case.id)), f, user_id, now).where(
        Case.assigned_to_id.is_(None)).order_by(*QUEUE_ORDER).limit(limit)


def take_next(scope: Scope, f: QueueFilter, user_id: int, *, now: dt.datetime) -> Case | None:
    """Assign the first unassigned queue case to `user_id`; two advisers never get the same one."""
    if session.get_bind().dialect.name == "postgresql":
        # Rows another transaction is claiming right now are skipped, not waited for: each
        # concurrent taker gets the next free case at once.
        case_id = session.scalar(take_statement(scope, f, user_id, now=now).with_for_update(skip_locked=True))
        if case_id is None:
            return None
        session.execute(update(Case).where(Case.id == case_id)
                        .values(assigned_to_id=user_id, status="in_progress", updated_at=now))
        return get(scope, case_id)
    # SQLite has no row locks: claim with a conditional UPDATE and try the next if we lost.
    for case_id in session.scalars(take_statement(scope, f, user_id, now=now, limit=5)).all():
        claimed = session.execute(update(Case).where(Case.id == case_id, Case.assigned_to_id.is_(None))
                                  .values(assigned_to_id=user_id, status="in_progress", updated_at=now))
        if claimed.rowcount == 1:  # type: ignore[attr-defined]
            return get(scope, case_id)
    return None


def get(scope: Scope, case_id: int, *, lock: bool = False) -> Case | None:
    """The case if it belongs to one of the scope's councils; None otherwise (a 404)."""
    stmt = _scoped(scope, select(Case).where(Case.id == case_id))
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    else:
        stmt = stmt.execution_options(populate_existing=True)
    return session.scalars(stmt).first()


def search(scope: Scope, text: str, *, limit: int = 50) -> Sequence[Case]:
    """Find my councils' cases by reference, postcode, or the email or phone the case came with."""
    term = text.strip()
    if not term:
        return []
    compact = term.replace(" ", "").upper()
    # The case's own contact details, not the shared citizen record's (decision 0024).
    stmt = _scoped(scope, select(Case)).where(or_(
        Case.reference == compact, func.replace(Case.postcode, " ", "") == compact,
        Case.contact_email == term.lower(), Case.contact_phone == term))
    return session.scalars(stmt.order_by(Case.created_at.desc(), Case.id.desc()).limit(limit)).all()


def thread(case: Case) -> Sequence[Message]:
    """Every message of the case across channels, public and internal, oldest first."""
    return session.scalars(select(Message).where(Message.case_id == case.id)
                           .order_by(Message.created_at, Message.id)).all()


def history(case: Case) -> Sequence[CaseEvent]:
    return session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)
                           .order_by(CaseEvent.at, CaseEvent.id)).all()


def other_cases(case: Case, *, limit: int = 20) -> Sequence[Case]:
    """The same citizen's other cases with this case's council only (never another council's)."""
    if case.citizen_id is None or case.authority_code is None:
        return []
    stmt = select(Case).where(Case.citizen_id == case.citizen_id, Case.authority_code == case.authority_code,
                              Case.id != case.id)
    return session.scalars(stmt.order_by(Case.created_at.desc()).limit(limit)).all()


def last_event(case: Case, kind: str) -> CaseEvent | None:
    return session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == kind)
                           .order_by(CaseEvent.at.desc(), CaseEvent.id.desc()).limit(1)).first()


def record_audit(*, user_id: int | None, case_id: int | None, action: str, ip: str | None,
                 target_user_id: int | None = None, detail: dict[str, Any] | None = None) -> None:
    """Add one audit row in the caller's unit of work, so it commits or rolls back with the action.

    The one writer of `audit_log`: advisers' case actions, and admins' changes to staff
    accounts (`target_user_id`, `detail`; callers never put a password or secret in `detail`).
    """
    session.add(AuditLog(user_id=user_id, case_id=case_id, action=action, ip=(ip or "")[:45] or None,
                         target_user_id=target_user_id, detail=detail))
    session.flush()


def account_audit_rows(target_user_id: int, limit: int = 50) -> Sequence[AuditLog]:
    """The latest admin changes to one staff account, newest first."""
    return session.scalars(select(AuditLog).where(AuditLog.target_user_id == target_user_id)
                           .order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(limit)).all()


def audit_rows(case_id: int) -> Sequence[AuditLog]:
    return session.scalars(select(AuditLog).where(AuditLog.case_id == case_id).order_by(AuditLog.id)).all()


def partner_authorities() -> Sequence[Authority]:
    return session.scalars(select(Authority).where(Authority.partner.is_(True), Authority.active.is_(True))
                           .order_by(Authority.name)).all()


def services() -> Sequence[Service]:
    return session.scalars(select(Service).where(Service.active.is_(True)).order_by(Service.name)).all()


def staff_of(authority_code: str) -> Sequence[User]:
    """Active staff who belong to a council (the people a case there may be assigned to)."""
    stmt = select(User).join(Membership).where(Membership.authority_code == authority_code,
                                               User.active.is_(True)).order_by(User.name)
    return session.scalars(stmt).all()


def users_by_id(ids: set[int]) -> dict[int, User]:
    if not ids:
        return {}
    return {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))}
