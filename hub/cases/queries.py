"""Reads and writes of cases, messages and events (the only module that touches them)."""
from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any, Sequence

from sqlalchemy import and_, distinct, func, or_, select, text, update

from hub import references
from hub.db import session, utcnow
from hub.cases.models import Case, CaseEvent, Message


class DuplicateMessage(Exception):
    """The provider sent a message we already have (a webhook retry)."""

    def __init__(self, existing: Message):
        self.existing = existing
        super().__init__(f"duplicate message {existing.provider_id}")


def new_case(**values: Any) -> Case:
    """Insert a case with a fresh reference, drawing again while a reference is taken.

    No savepoint: on SQLite a SAVEPOINT opened as the first statement of a unit of work is
    its outermost transaction, and releasing it would commit the case on its own. Two
    contacts drawing the same unused reference at the same instant (about 1 in 27 billion)
    fail the unique constraint, and that unit of work is retried whole.
    """
    for _ in range(5):
        reference = references.generate()
        if session.scalar(select(Case.id).where(Case.reference == reference)) is None:
            case = Case(reference=reference, **values)
            session.add(case)
            session.flush()
            return case
    raise RuntimeError("could not allocate a unique case reference")


def get_case(case_id: int, *, lock: bool = False) -> Case | None:
    stmt = select(Case).where(Case.id == case_id)
    if lock:
        # A locking read must see the row as it is now, not as this session last saw it.
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return session.scalars(stmt).first()


def get_case_by_reference(reference: str) -> Case | None:
    return session.scalars(select(Case).where(Case.reference == reference)).first()


def find_message(channel: str, direction: str, provider_id: str, *, lock: bool = False) -> Message | None:
    stmt = select(Message).where(Message.channel == channel, Message.direction == direction,
                                 Message.provider_id == provider_id)
    if lock:
        # Delivery callbacks for one message can race; the second waits and sees the first's write.
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return session.scalars(stmt).first()


def get_message(message_id: int, *, lock: bool = False) -> Message | None:
    """The message as it is in the database now (delivery state changes under our feet)."""
    stmt = select(Message).where(Message.id == message_id).execution_options(populate_existing=True)
    if lock:
        stmt = stmt.with_for_update()
    return session.scalars(stmt).first()


def claim_sending(message_id: int, *, stale_before: dt.datetime) -> bool:
    """Mark an outbound message "sending" if no other attempt is at the provider with it.

    One conditional UPDATE (it takes the row lock), so of two concurrent deliveries only
    one wins, on PostgreSQL and on SQLite alike. A "sending" mark older than
    ``stale_before`` belongs to an attempt that died mid-send and may be taken over.
    """
    result = session.execute(
        update(Message)
        .where(Message.id == message_id, Message.direction == "outbound",
               or_(Message.delivery_status.is_(None), Message.delivery_status == "queued",
                   and_(Message.delivery_status == "sending",
                        or_(Message.send_started_at.is_(None), Message.send_started_at < stale_before))))
        .values(delivery_status="sending", send_started_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def add_message(case: Case, **values: Any) -> Message:
    provider_id = values.get("provider_id")
    if provider_id:
        existing = find_message(values["channel"], values["direction"], provider_id)
        if existing is not None:
            raise DuplicateMessage(existing)
    msg = Message(case_id=case.id, **values)
    session.add(msg)
    session.flush()
    return msg


def add_event(case: Case, kind: str, *, actor: str = "system", reason: str | None = None,
              user_id: int | None = None, **data: Any) -> CaseEvent:
    event = CaseEvent(case_id=case.id, kind=kind, actor=actor, reason=reason, user_id=user_id, data=data)
    session.add(event)
    session.flush()
    return event


def messages(case_id: int) -> Sequence[Message]:
    return session.scalars(select(Message).where(Message.case_id == case_id).order_by(Message.created_at, Message.id)).all()


def events(case_id: int) -> Sequence[CaseEvent]:
    return session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.at, CaseEvent.id)).all()


def last_event_at(case_id: int, kind: str) -> dt.datetime | None:
    return session.scalar(select(CaseEvent.at).where(CaseEvent.case_id == case_id, CaseEvent.kind == kind)
                          .order_by(CaseEvent.at.desc(), CaseEvent.id.desc()).limit(1))


def list_cases(*, since: dt.datetime | None = None, before: dt.datetime | None = None, channel: str | None = None,
               authority: str | None = None, limit: int = 1000) -> Sequence[Case]:
    stmt = select(Case).order_by(Case.created_at.desc(), Case.id.desc()).limit(limit)
    if since is not None:
        stmt = stmt.where(Case.created_at >= since)
    if before is not None:
        stmt = stmt.where(Case.created_at < before)
    if channel:
        stmt = stmt.where(Case.channel == channel)
    if authority:
        stmt = stmt.where(Case.authority_code == authority)
    return session.scalars(stmt).all()


def missed_collections(service_code: str, address_key: str, *, since: dt.date, excluding: dt.date,
                       at: dt.datetime) -> int:
    """How many different collections were reported missed at one house since a day.

    Counted per collection, not per report: three messages about one missed Friday are one
    miss. The collection being reported now is left out (the caller adds it).
    """
    return session.scalar(
        select(func.count(distinct(Case.collection_date))).where(
            Case.service_code == service_code, Case.address_key == address_key,
            Case.collection_date >= since, Case.collection_date != excluding, Case.created_at <= at)
    ) or 0


def lock_report_place(service_code: str, place: str) -> None:
    """Wait for, then hold until this transaction ends, the right to log a report of one
    service at one place: two reports of the same fault decided at once cannot both be first.

    The caller looks for an earlier report only after this, and the decision it stores (the
    case's place keys, its link) commits with the lock's release, so the next report of the
    place sees it. PostgreSQL: a transaction-scoped advisory lock on a 64-bit hash of
    (service, place); a hash collision only makes two places wait for each other. SQLite
    has one writer at a time, but pysqlite reads outside a transaction until the first
    write, so two threads could both read "no report" and then write in turn: a write that
    changes nothing takes the database's write lock now, before the read.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        digest = hashlib.blake2b(f"report|{service_code}|{place}".encode(), digest_size=8).digest()
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                        {"key": int.from_bytes(digest, "big", signed=True)})
    elif dialect == "sqlite":
        session.execute(text('UPDATE "case" SET id = id WHERE 0 = 1'))


def missed_reports(service_code: str, address_key: str, collection_date: dt.date, *,
                   excluding_reference: str | None = None) -> Sequence[Case]:
    """Reports already logged (not linked ones) of one collection missed at one house, earliest first.

    A handful at most (one house, one day): the caller picks the one for the same bin. A
    report stored already counts even if its message came a moment after this one (two
    contacts at once: the later may be decided first), so there is no "as of" bound here.
    """
    stmt = (select(Case).where(Case.service_code == service_code, Case.address_key == address_key,
                               Case.collection_date == collection_date, Case.duplicate_of_id.is_(None))
            .order_by(Case.created_at, Case.id).limit(20))
    if excluding_reference:
        stmt = stmt.where(Case.reference != excluding_reference)
    return session.scalars(stmt).all()


def open_street_report(service_code: str, *, postcode: str, location_key: str | None, since: dt.datetime,
                       statuses: Sequence[str], excluding_reference: str | None = None) -> Case | None:
    """The earliest report of this service at the same place still being dealt with, if any.

    The same place is the same postcode, or the same street words in the same postcode
    sector (``location_key`` carries the sector). Reports already linked to another are
    skipped. As with missed collections, a report already decided counts even if its
    message came a moment after this one's.
    """
    place = Case.postcode == postcode
    if location_key:
        place = or_(place, Case.location_key == location_key)
    stmt = (select(Case).where(Case.service_code == service_code, place, Case.duplicate_of_id.is_(None),
                               Case.status.in_(tuple(statuses)), Case.created_at >= since)
            .order_by(Case.created_at, Case.id).limit(1))
    if excluding_reference:
        stmt = stmt.where(Case.reference != excluding_reference)
    return session.scalars(stmt).first()


def needs_info_case(citizen_id: int, channel: str) -> Case | None:
    """The citizen's latest case on this channel still waiting for their answer."""
    return session.scalars(
        select(Case).where(Case.citizen_id == citizen_id, Case.channel == channel, Case.status == "needs_info")
        .order_by(Case.created_at.desc(), Case.id.desc()).limit(1)
    ).first()


def latest_case(citizen_id: int, channel: str, *, since: dt.datetime) -> Case | None:
    """The citizen's most recent case on this channel since a moment (for "PERSON" follow-ups)."""
    return session.scalars(
        select(Case).where(Case.citizen_id == citizen_id, Case.channel == channel, Case.created_at >= since)
        .order_by(Case.created_at.desc(), Case.id.desc()).limit(1)
    ).first()


def waiting_for_answer(asked_before: dt.datetime, limit: int = 500) -> Sequence[Case]:
    """Cases in needs_info not touched since ``asked_before`` (the timeout sweep checks each)."""
    return session.scalars(
        select(Case).where(Case.status == "needs_info", Case.updated_at < asked_before)
        .order_by(Case.id).limit(limit)
    ).all()


def citizen_messages(citizen_id: int, *, channel: str | None = None, limit: int = 50) -> Sequence[Message]:
    """A citizen's latest messages across their cases, oldest first (a conversation view)."""
    stmt = (select(Message).join(Case, Case.id == Message.case_id).where(Case.citizen_id == citizen_id)
            .order_by(Message.created_at.desc(), Message.id.desc()).limit(limit))
    if channel:
        stmt = stmt.where(Message.channel == channel)
    return list(reversed(session.scalars(stmt).all()))
