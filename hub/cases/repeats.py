"""Repeat contacts (failure demand), stored on each case and kept right whenever cases change.

A case is a repeat when the same citizen contacted us about the same service at most
REPEAT_DAYS days before it: an earlier case (created before it, or at the same instant with a
lower id) of the same citizen and service, of any council and channel. Managers' reports sum
`case.repeat_contact`; finding each contact's previous one at report time sorted the whole
window, which took seconds over a year of contacts (decision 0020, amended).

The flag depends on other cases, so it must be recomputed when a case is added or deleted, or
changes citizen, service or creation time: that case's own flag, and the flags of the cases of
its old and new (citizen, service) in the REPEAT_DAYS after it. Triage sets a new case's service
in a later job and advisers re-categorise cases, so the flag is maintained here, once, by
session listeners rather than by each place that writes cases:

- before a flush they note which cases change those columns (and where they were); after it,
  one UPDATE recomputes those cases' own flags (rows the transaction already holds);
- at commit they enqueue `refresh_repeats` for the spans touched. The job runs after the
  commit, so it sees this transaction's cases *and* any committed at the same moment by
  another transaction (two messages from one citizen triaged by two workers): a flag computed
  inside either transaction alone could miss the other. Neighbours are updated there, never
  inside the writing transaction, so a triage job holding a report's place lock never waits
  for a neighbouring case's row lock (decision 0020, amended).

ORM objects are covered whatever the path; bulk ORM UPDATE or DELETE statements that would move
cases are refused (`_refuse_bulk_moves`). Bulk INSERTs bypass the ORM's unit of work (the demo
seed, the bench): they call `refresh_cases` or `refresh_all` themselves.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from sqlalchemy import Interval, Table, and_, event, exists, func, inspect, literal_column, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from hub.cases.models import Case

REPEAT_DAYS = 7
KEY_COLUMNS = ("citizen_id", "service_code", "created_at")
_PENDING = "hub.cases.repeats"
_SPANS = "hub.cases.repeats.spans"
Span = tuple[Any, Any, dt.datetime]  # (citizen_id, service_code, created_at) of a case, before or after a change


def days_before(dialect: str, column: Any, days: int) -> ColumnElement[Any]:
    """`column` minus whole days of 24 hours, exactly, comparable with stored values.

    PostgreSQL: hours, not days, so the session's time zone can never stretch a week across a
    clock change. SQLite stores 'YYYY-MM-DD HH:MM:SS.ffffff': the date arithmetic is done to the
    second and the stored microseconds are put back (strftime's %f keeps only milliseconds).
    """
    if dialect == "postgresql":
        return column - literal_column(f"INTERVAL '{24 * days} hours'", Interval())
    return func.strftime("%Y-%m-%d %H:%M:%S", column, f"-{days} days").concat(func.substr(column, 20))


def is_repeat(dialect: str, table: Table | None = None) -> ColumnElement[bool]:
    """SQL for "this row of `case` is a repeat contact" (a correlated EXISTS on ix_case_citizen)."""
    table = Case.__table__ if table is None else table
    earlier = Case.__table__.alias("earlier")
    return exists(select(earlier.c.id).where(
        earlier.c.citizen_id == table.c.citizen_id, earlier.c.service_code == table.c.service_code,
        earlier.c.created_at >= days_before(dialect, table.c.created_at, REPEAT_DAYS),
        or_(earlier.c.created_at < table.c.created_at,
            and_(earlier.c.created_at == table.c.created_at, earlier.c.id < table.c.id))))


def _refresh(sess: Session, where: ColumnElement[bool]) -> None:
    """Recompute the flag of the cases matching `where`, writing only those that change.

    A flag that differs from the definition is flipped, so the EXISTS runs once a row. The
    `updated_at` is kept: a neighbour becoming (or ceasing to be) a repeat is not activity on it.
    """
    table = Case.__table__
    flag = is_repeat(sess.get_bind().dialect.name)
    sess.connection().execute(update(table).where(where, table.c.repeat_contact != flag)
                              .values(repeat_contact=~table.c.repeat_contact, updated_at=table.c.updated_at))


def _affected(spans: Iterable[Span], ids: Iterable[int]) -> ColumnElement[bool] | None:
    table = Case.__table__
    span = dt.timedelta(days=REPEAT_DAYS)
    conditions = [table.c.id.in_(sorted(set(ids)))]
    for citizen_id, service_code, created_at in set(spans):
        if citizen_id is not None and service_code is not None and created_at is not None:
            conditions.append(and_(table.c.citizen_id == citizen_id, table.c.service_code == service_code,
                                   table.c.created_at >= created_at, table.c.created_at <= created_at + span))
    return or_(*conditions)


def _places(sess: Session, ids: list[int]) -> list[Span]:
    """Where these cases are now, as the database holds them (before a flush: before its changes)."""
    table = Case.__table__
    return [(row.citizen_id, row.service_code, row.created_at) for row in sess.connection().execute(
        select(table.c.citizen_id, table.c.service_code, table.c.created_at).where(table.c.id.in_(ids)))]


def refresh_cases(sess: Session, ids: Iterable[int]) -> None:
    """After a bulk INSERT of these cases: their flags and those of the cases after them."""
    ids = sorted(set(ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        _refresh(sess, _affected(_places(sess, chunk), chunk))
    _expire(sess)


def refresh_all(sess: Session) -> None:
    """Every case's flag (after bulk SQL that bypassed the ORM; the migration's backfill is the same UPDATE)."""
    _refresh(sess, Case.__table__.c.id.is_not(None))
    _expire(sess)


def _expire(sess: Session) -> None:
    """Loaded cases may hold a flag the UPDATE changed: they read it again when next asked."""
    for obj in list(sess.identity_map.values()):
        if isinstance(obj, Case):
            sess.expire(obj, ["repeat_contact"])


@event.listens_for(Session, "before_flush")
def _note_changes(sess: Session, _ctx: Any, _instances: Any) -> None:
    """Which cases this flush adds, deletes or moves to another citizen, service or time, and their old places."""
    added = [obj for obj in sess.new if isinstance(obj, Case)]
    moved = [obj for obj in sess.dirty if isinstance(obj, Case) and obj.id is not None
             and any(inspect(obj).attrs[name].history.has_changes() for name in KEY_COLUMNS)]
    gone = [obj.id for obj in sess.deleted if isinstance(obj, Case) and obj.id is not None]
    old = _places(sess, [obj.id for obj in moved] + gone) if moved or gone else []
    sess.info[_PENDING] = (added + moved, old) if added or moved or old else None


@event.listens_for(Session, "after_flush_postexec")
def _recompute(sess: Session, _ctx: Any) -> None:
    """The changed cases' own flags now; their spans are refreshed by a job after the commit."""
    pending = sess.info.pop(_PENDING, None)
    if not pending:
        return
    changed, old = pending
    spans = old + [(obj.citizen_id, obj.service_code, obj.created_at) for obj in changed]
    if changed:
        _refresh(sess, Case.__table__.c.id.in_(sorted({obj.id for obj in changed})))
        _expire(sess)
    sess.info.setdefault(_SPANS, set()).update(
        (citizen_id, service_code, created_at) for citizen_id, service_code, created_at in spans
        if citizen_id is not None and service_code is not None and created_at is not None)


@event.listens_for(Session, "before_commit")
def _enqueue_refresh(sess: Session) -> None:
    sess.flush()  # the commit's own flush comes after this event: its changes must be noted first
    spans = sess.info.pop(_SPANS, None)
    if not spans:
        return
    from hub.jobs.dispatch import enqueue

    # No idempotency key: the same spans changed again later must be refreshed again (the job
    # itself is a recompute, safe to run twice).
    enqueue("refresh_repeats", spans=sorted([citizen_id, service_code, created_at.isoformat()]
                                            for citizen_id, service_code, created_at in spans))


@event.listens_for(Session, "after_soft_rollback")
def _forget(sess: Session, _previous: Any) -> None:
    sess.info.pop(_SPANS, None)
    sess.info.pop(_PENDING, None)


def refresh_spans(spans: list[list[Any]]) -> None:
    """Job: recompute the flags of every case a change could affect (committed ones included)."""
    from hub.db import get_session

    sess = get_session()
    places = [(citizen_id, service_code, dt.datetime.fromisoformat(created_at))
              for citizen_id, service_code, created_at in spans]
    _refresh(sess, _affected(places, []))
    _expire(sess)


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_moves(state: Any) -> None:
    """An ORM bulk UPDATE or DELETE of cases would skip the listeners above: refuse it when it
    could change repeat flags (a DELETE, or an UPDATE setting citizen, service or creation time)."""
    if not (state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if table is None or getattr(table, "name", None) != Case.__tablename__:
        return
    # Columns set by .values(...), or by a list of rows (an ORM bulk update by primary key).
    touched = {getattr(col, "key", str(col)) for col in getattr(state.statement, "_values", None) or {}}
    rows = state.parameters if isinstance(state.parameters, list) else [state.parameters or {}]
    touched.update(key for row in rows for key in row)
    if state.is_delete or touched & set(KEY_COLUMNS):
        raise RuntimeError("bulk UPDATE/DELETE of cases that moves them would leave repeat contacts stale: "
                           "change Case objects, or call hub.cases.repeats.refresh_cases afterwards")
