"""What advisers do with cases: take them, answer citizens, move them on, close them.

Every operation starts from `_case(scope, id)`, which finds the case only inside the
adviser's councils; anything else is a 404, so another council's case cannot be read,
answered, transferred or even confirmed to exist. Each action leaves an event and an
audit row.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from werkzeug.exceptions import NotFound

from hub.adviser import attachments, queries
from hub.adviser.canned import canned_replies
from hub.auth.access import Scope
from hub.cases import queries as cases
from hub.cases.models import PRIORITIES, Case
from hub.cases.service import resume_after_wait
from hub.citizens import queries as citizens
from hub.db import utcnow
from hub.messaging.service import can_send, recipient_for, send_reply
from hub.partnership.calendar import WorkingCalendar
from hub.partnership.routing import route
from hub.citizens.details import e164
from hub.partnership.service import current
from hub.triage.service import record_correction

log = logging.getLogger(__name__)
QueueFilter = queries.QueueFilter
OUTCOMES = ("answered", "service_requested", "referred", "no_action_needed", "duplicate")
ASSISTED_CHANNELS = ("phone", "face_to_face")


class CaseNotFound(NotFound):
    """Not in this adviser's councils, or no such case: the same answer for both."""


class ActionRefused(ValueError):
    """The action makes no sense for this case now (shown to the adviser, 400)."""


@dataclass
class Actor:
    """Who is acting, from where: for events and the audit log."""

    user_id: int
    scope: Scope
    ip: str | None = None

    @property
    def label(self) -> str:
        return f"user:{self.user_id}"


@dataclass
class CasePage:
    case: Case
    thread: list[Any]
    history: list[Any]
    other_cases: list[Any]
    sla: dict[str, Any]
    canned: dict[str, str]
    staff: list[Any] = field(default_factory=list)
    users: dict[int, Any] = field(default_factory=dict)
    # The files that came with each message, by message id (None: message not known).
    attachments: dict[int | None, list[attachments.AttachmentInfo]] = field(default_factory=dict)


def _case(actor: Actor, case_id: int, *, lock: bool = False) -> Case:
    case = queries.get(actor.scope, case_id, lock=lock)
    if case is None:
        log.info("case refused", extra={"case_id": case_id, "user": actor.user_id, "reason": "out of scope"})
        raise CaseNotFound()
    return case


def _audit(actor: Actor, case: Case, action: str, detail: dict[str, Any] | None = None) -> None:
    queries.record_audit(user_id=actor.user_id, case_id=case.id, action=action, ip=actor.ip, detail=detail)


# -- the queue --------------------------------------------------------------------------
def queue(actor: Actor, f: QueueFilter, after: queries.Cursor | None, limit: int = 25) -> dict[str, Any]:
    now = utcnow()
    rows = list(queries.queue_page(actor.scope, f, actor.user_id, now=now, after=after, limit=limit + 1))
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = (rows[-1].priority, rows[-1].sla_due_at, rows[-1].id) if more and rows else None
    return {"cases": rows, "next": cursor, "now": now,
            "counts": queries.queue_counts(actor.scope, actor.user_id, now=now)}


def take_next(actor: Actor, f: QueueFilter) -> Case | None:
    case = queries.take_next(actor.scope, f, actor.user_id, now=utcnow())
    if case is not None:
        cases.add_event(case, "assigned", actor=actor.label, user_id=actor.user_id, to=actor.user_id, taken=True)
        _audit(actor, case, "take")
    return case


def search(actor: Actor, text: str) -> list[Case]:
    return list(queries.search(actor.scope, text))


# -- the case page ------------------------------------------------------------------------
def sla_clock(case: Case, now: dt.datetime | None = None) -> dict[str, Any]:
    """Working hours left (negative when breached); paused while waiting for the citizen."""
    now = now or utcnow()
    if case.sla_due_at is None:
        return {"due": None, "state": "none", "hours_left": None}
    calendar = WorkingCalendar(current())
    if case.sla_due_at >= now:
        left = calendar.working_hours_between(now, case.sla_due_at)
    else:
        left = -calendar.working_hours_between(case.sla_due_at, now)
    state = "paused" if case.status == "waiting_citizen" else \
        "breached" if case.sla_due_at < now else "due_soon" if case.sla_due_at < now + queries.DUE_SOON else "ok"
    return {"due": case.sla_due_at, "state": state, "hours_left": round(left, 1)}


def view_case(actor: Actor, case_id: int) -> CasePage:
    """The case with everything an adviser needs; the view is written to the audit log."""
    case = _case(actor, case_id)
    _audit(actor, case, "view_case")
    thread = list(queries.thread(case))
    history = list(queries.history(case))
    ids = {m.author_id for m in thread if m.author_id} | {e.user_id for e in history if e.user_id}
    if case.assigned_to_id:
        ids.add(case.assigned_to_id)
    return CasePage(case=case, thread=thread, history=history,
                    other_cases=list(queries.other_cases(case)), sla=sla_clock(case),
                    canned=canned_replies(case.service_code),
                    staff=list(queries.staff_of(case.authority_code)) if case.authority_code else [],
                    users=queries.users_by_id(ids), attachments=attachments.by_message(attachments.for_case(case.id)))


def case_messages(actor: Actor, case_id: int) -> tuple[list[Any], dict[int | None, list[Any]]]:
    """The thread and its files' names (for the partial refresh); audited, as it shows personal data."""
    case = _case(actor, case_id)
    _audit(actor, case, "view_messages")
    return list(queries.thread(case)), attachments.by_message(attachments.for_case(case.id))


def download_attachment(actor: Actor, case_id: int, source: str, attachment_id: int) -> attachments.StoredFile:
    """A citizen's file, for an adviser of the case's council; the download is audited.

    The case is found inside the adviser's councils first (the same check as every case
    URL), then the file only among that case's own files: another council's case, a file of
    another case, a refused file or an unknown id are all the same 404.
    """
    case = _case(actor, case_id)
    found = attachments.find(case.id, source, attachment_id)
    if found is None:
        log.info("attachment refused", extra={"case": case.reference, "user": actor.user_id,
                                              "reason": "not a kept file of this case"})
        raise CaseNotFound()
    _audit(actor, case, "download_attachment", {"source": found.info.source, "attachment_id": found.info.id,
                                                "filename": found.info.filename})
    log.info("attachment downloaded", extra={"case": case.reference, "user": actor.user_id,
                                             "attachment": f"{found.info.source}:{found.info.id}"})
    return found


# -- actions ------------------------------------------------------------------------------
NO_ADDRESS = {"sms": "This case has no mobile number: reply by email or note the call",
              "email": "This case has no email address: reply by text or note the call"}


@dataclass
class Replied:
    case: Case
    notice: str


def reply(actor: Actor, case_id: int, text: str, *, channel: str | None = None, wait: bool = False) -> Replied:
    """Answer the citizen on their channel (or the portal's tracking page when they have none).

    A text or email goes only to the number or address this case came with; when it has none
    the reply is refused, so the adviser is never told "sent" for a message nobody receives.
    """
    case = _case(actor, case_id, lock=True)
    text = text.strip()
    if not text:
        raise ActionRefused("Write a reply first")
    channel = channel or case.channel
    if channel in NO_ADDRESS and recipient_for(case, channel) is None:
        log.info("reply refused: no address on the case", extra={"case": case.reference, "channel": channel})
        raise ActionRefused(NO_ADDRESS[channel])
    send_reply(case, text, channel=channel, author_id=actor.user_id)
    case.first_response_at = case.first_response_at or utcnow()
    cases.add_event(case, "replied", actor=actor.label, user_id=actor.user_id, channel=channel)
    if wait:
        _wait(actor, case)
    _audit(actor, case, "reply")
    sent = channel not in NO_ADDRESS or can_send(channel)
    return Replied(case, "Reply sent." if sent else "Reply recorded (not sent: no provider configured).")


def _wait(actor: Actor, case: Case) -> None:
    if case.status not in ("open", "in_progress"):
        raise ActionRefused("Only a case in the queue can wait for the citizen")
    case.status = "waiting_citizen"
    cases.add_event(case, "waiting", actor=actor.label, user_id=actor.user_id,
                    reason="Waiting for the citizen: the SLA clock is paused.")


def wait_for_citizen(actor: Actor, case_id: int) -> Case:
    case = _case(actor, case_id, lock=True)
    _wait(actor, case)
    _audit(actor, case, "wait")
    return case


def resume(actor: Actor, case_id: int) -> Case:
    case = _case(actor, case_id, lock=True)
    if case.status != "waiting_citizen":
        raise ActionRefused("The case is not waiting for the citizen")
    resume_after_wait(case, actor=actor.label, user_id=actor.user_id, reason="Resumed by an adviser.")
    _audit(actor, case, "resume")
    return case


def add_note(actor: Actor, case_id: int, text: str) -> Case:
    """An internal note: in the case history for colleagues, never shown to the citizen."""
    case = _case(actor, case_id, lock=True)
    if not text.strip():
        raise ActionRefused("Write a note first")
    cases.add_event(case, "note", actor=actor.label, user_id=actor.user_id, reason=text.strip())
    _audit(actor, case, "note")
    return case


def recategorise(actor: Actor, case_id: int, service_code: str) -> Case:
    """Correct the service; the responsible council follows, and the classifier learns from it."""
    doc = current()
    case = _case(actor, case_id, lock=True)
    svc = doc.service(service_code)
    if svc is None:
        raise ActionRefused("Choose a service from the list")
    decided = route(doc, svc, case.postcode)
    if decided.authority is None or not decided.partner:
        raise ActionRefused("That service's council cannot be worked out or is not a partner: "
                            + decided.explain())
    before = (case.service_code, case.authority_code)
    case.service_code, case.authority_code = svc.code, decided.authority_code
    case.routing_explanation = decided.explain()
    case.priority = min(case.priority, PRIORITIES[svc.priority])
    if case.authority_code != before[1]:
        case.assigned_to_id = None
        case.status = "open" if case.status == "in_progress" else case.status
    record_correction(case, svc.code, actor.user_id)
    cases.add_event(case, "recategorised", actor=actor.label, user_id=actor.user_id,
                    reason=decided.explain(), service_from=before[0], service_to=svc.code,
                    authority_from=before[1], authority_to=case.authority_code)
    _audit(actor, case, "recategorise")
    return case


def transfer(actor: Actor, case_id: int, authority_code: str, reason: str) -> Case:
    """Move a case to another partner council; its SLA clock carries on. Counted as a misroute."""
    case = _case(actor, case_id, lock=True)
    target = current().authority(authority_code)
    if target is None or not target.partner:
        raise ActionRefused("Choose a partner council")
    if authority_code == case.authority_code:
        raise ActionRefused("The case is already with that council")
    if not reason.strip():
        raise ActionRefused("Say why the case is being transferred")
    before = case.authority_code
    case.authority_code, case.assigned_to_id = authority_code, None
    if case.status == "in_progress":
        case.status = "open"
    cases.add_event(case, "transferred", actor=actor.label, user_id=actor.user_id, reason=reason.strip(),
                    authority_from=before, authority_to=authority_code, misroute=True)
    _audit(actor, case, "transfer")
    log.info("case transferred", extra={"case": case.reference, "from": before, "to": authority_code})
    return case


def resolve(actor: Actor, case_id: int, outcome: str, *, close: bool = False, note: str = "") -> Case:
    case = _case(actor, case_id, lock=True)
    if outcome not in OUTCOMES:
        raise ActionRefused("Choose an outcome")
    if case.status == "closed" or (case.status == "resolved" and not close):
        raise ActionRefused("The case is already " + case.status)
    now = utcnow()
    case.status = "closed" if close else "resolved"
    case.resolved_at = case.resolved_at or now
    if close:
        case.closed_at = now
    cases.add_event(case, case.status, actor=actor.label, user_id=actor.user_id, reason=note.strip() or None,
                    outcome=outcome)
    _audit(actor, case, case.status)
    return case


def reopen(actor: Actor, case_id: int, reason: str) -> Case:
    case = _case(actor, case_id, lock=True)
    if case.status not in ("resolved", "closed"):
        raise ActionRefused("Only a resolved or closed case can be reopened")
    case.status = "in_progress" if case.assigned_to_id else "open"
    case.resolved_at = case.closed_at = None
    cases.add_event(case, "reopened", actor=actor.label, user_id=actor.user_id, reason=reason.strip() or None)
    _audit(actor, case, "reopen")
    return case


def assign(actor: Actor, case_id: int, user_id: int | None) -> Case:
    """Assign to a colleague of the case's council (or to nobody)."""
    case = _case(actor, case_id, lock=True)
    if user_id is not None and user_id not in {u.id for u in queries.staff_of(case.authority_code or "")}:
        raise ActionRefused("That person does not work for this case's council")
    case.assigned_to_id = user_id
    if case.status in ("open", "in_progress"):
        case.status = "in_progress" if user_id else "open"
    cases.add_event(case, "assigned" if user_id else "unassigned", actor=actor.label, user_id=actor.user_id,
                    to=user_id)
    _audit(actor, case, "assign")
    return case


# -- assisted contacts --------------------------------------------------------------------
def log_assisted_contact(actor: Actor, *, channel: str, service_code: str, postcode: str | None, summary: str,
                         resolved: bool, name: str | None = None, email: str | None = None,
                         phone: str | None = None) -> Case:
    """Record a phone call or visit as a routed case, so reports count assisted channels."""
    doc = current()
    if channel not in ASSISTED_CHANNELS:
        raise ActionRefused("Choose phone or face to face")
    svc = doc.service(service_code)
    if svc is None:
        raise ActionRefused("Choose a service from the list")
    decided = route(doc, svc, postcode)
    if decided.authority is None:
        raise ActionRefused(decided.explain())
    if not actor.scope.allows(decided.authority_code):
        raise ActionRefused(f"{decided.authority.name} is not one of your councils")
    now = utcnow()
    name, email = name or None, (email or "").strip().lower() or None
    phone = _e164(phone) if phone else None
    person = citizens.find_or_create(name=name, email=email, phone=phone)
    # The case keeps only what was typed for this contact: the matched citizen's other details
    # may belong to another council's contacts and are never shown here (decision 0024).
    case = cases.new_case(channel=channel, citizen_id=person.id if person else None, postcode=postcode,
                          contact_name=name, contact_email=email, contact_phone=phone,
                          service_code=svc.code, authority_code=decided.authority_code,
                          disposition="escalated" if decided.partner else "signposted",
                          status="resolved" if resolved or not decided.partner else "in_progress",
                          assigned_to_id=None if resolved else actor.user_id,
                          priority=PRIORITIES[svc.priority], routing_explanation=decided.explain(),
                          summary=summary[:300], first_response_at=now,
                          resolved_at=now if resolved or not decided.partner else None,
                          sla_due_at=None if resolved else
                          WorkingCalendar(doc).add_working_hours(now, svc.sla.hours))
    cases.add_message(case, direction="inbound", channel=channel, body=summary, author_id=actor.user_id)
    cases.add_event(case, "assisted_contact", actor=actor.label, user_id=actor.user_id, channel=channel,
                    service=svc.code, authority=decided.authority_code, resolved=resolved)
    _audit(actor, case, "assisted_contact")
    return case


def _e164(phone: str) -> str:
    """Phone numbers are stored in E.164 so a caller's later texts find the same citizen."""
    number = e164(phone)
    if number is None:
        raise ActionRefused("Enter a UK phone number, like 07700 900123")
    return number


def choices() -> dict[str, list[tuple[str, str]]]:
    """Select options for the forms, from the loaded partnership."""
    return {"service": [(s.code, s.name) for s in queries.services()],
            "authority": [(a.code, a.name) for a in queries.partner_authorities()],
            "outcome": [(o, o.replace("_", " ").capitalize()) for o in OUTCOMES]}
