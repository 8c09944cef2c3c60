"""Business operations on cases: receiving contacts, escalating, replying.

Every channel hands contacts here; the contact is stored (case, message, event, outbox
rows) in the caller's transaction, which commits before the sender gets an answer.

Conversations: when triage asked the citizen something (the case waits in needs_info),
their next message on the same channel (same phone for SMS, same address for email, the
same case for the web) is the answer: it joins that case and triage runs again with
everything they have written. A reply asking for a person ("PERSON") to an automatic
answer hands that case to advisers.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from typing import Any

from hub.cases import queries
from hub.cases.models import PRIORITIES, QUEUE_STATUSES, Case, Message
from hub.citizens import queries as citizens
from hub.db import utcnow
from hub.jobs.dispatch import enqueue
from hub.messaging.service import send_reply
from hub.partnership.calendar import WorkingCalendar
from hub.partnership.service import current
from hub.triage.text import normalise

log = logging.getLogger(__name__)

# How long after an automatic answer "PERSON" still refers to it.
PERSON_FOLLOW_UP = dt.timedelta(days=7)
_PERSON_RE = re.compile(
    r"^(?:person|human|adviser|advisor|agent|operator|someone)$"
    r"|\b(?:speak|talk|chat)\s+to\s+(?:a\s+|an\s+|someone|somebody|a real)\s*(?:person|human|adviser|advisor|agent|someone)?"
    r"|\b(?:did not|didnt|does not|doesnt) (?:answer|help)\b|\breal person\b")


def asks_for_person(body: str) -> bool:
    """"PERSON", "speak to someone", "this did not answer my question"."""
    return bool(_PERSON_RE.search(normalise(body)))


# Column sizes of what an inbound contact stores (hub/cases/models.py, hub/citizens/models.py).
MAX_SUBJECT = MAX_SUMMARY = MAX_LOCATION = 300
MAX_SENDER, MAX_PROVIDER_ID, MAX_NAME, MAX_EMAIL, MAX_PHONE, MAX_POSTCODE = 254, 255, 200, 254, 20, 8


def storable(value: str | None, limit: int | None = None) -> str | None:
    """Text as the database can keep it: NUL bytes removed, cut to its column's size.

    PostgreSQL refuses NUL in text and over-long values in sized columns (SQLite keeps both), so
    a contact that any channel lets through must still be stored, never turned into a 500.
    """
    if value is None:
        return None
    value = value.replace("\x00", "")
    return value[:limit] if limit is not None else value


def _identifier(kind: str, value: str | None, limit: int) -> str | None:
    """An email, phone or postcode too long for its column is dropped (a cut one would be wrong)."""
    value = storable(value)
    if value is not None and len(value) > limit:
        log.warning("contact detail dropped", extra={"detail": kind, "reason": f"longer than {limit} characters"})
        return None
    return value or None


@dataclass
class Received:
    case: Case
    message: Message | None
    duplicate: bool = False


def receive_contact(*, channel: str, body: str, subject: str | None = None, sender: str | None = None,
                    provider_id: str | None = None, postcode: str | None = None,
                    name: str | None = None, email: str | None = None, phone: str | None = None,
                    chosen_service: str | None = None, location_text: str | None = None,
                    case: Case | None = None) -> Received:
    """Store an inbound contact as a new case (or on ``case``) and queue its triage."""
    body = storable(body) or ""
    subject, location_text = storable(subject, MAX_SUBJECT), storable(location_text, MAX_LOCATION)
    sender, provider_id = storable(sender, MAX_SENDER), storable(provider_id, MAX_PROVIDER_ID)
    name = storable(name, MAX_NAME)
    email, phone = _identifier("email", email, MAX_EMAIL), _identifier("phone", phone, MAX_PHONE)
    postcode = _identifier("postcode", postcode, MAX_POSTCODE)
    if provider_id:
        existing = queries.find_message(channel, "inbound", provider_id)
        if existing is not None:
            found = queries.get_case(existing.case_id)
            assert found is not None
            log.info("duplicate delivery ignored", extra={"case": found.reference, "channel": channel})
            return Received(found, existing, duplicate=True)
    citizen = citizens.find_or_create(name=name, email=email, phone=phone)
    if case is None and citizen is not None and channel in ("sms", "email"):
        case = queries.needs_info_case(citizen.id, channel)
        if case is None and asks_for_person(body):
            earlier = queries.latest_case(citizen.id, channel, since=utcnow() - PERSON_FOLLOW_UP)
            if earlier is not None and earlier.self_served:
                case = earlier
    new = case is None
    if case is None:
        triage: dict[str, Any] = {"chosen_service": chosen_service} if chosen_service else {}
        case = queries.new_case(channel=channel, citizen_id=citizen.id if citizen else None, postcode=postcode,
                                location_text=location_text, status="new", triage=triage,
                                summary=(subject or body)[:MAX_SUMMARY])
        queries.add_event(case, "received", actor="citizen", channel=channel)
    _keep_contact_details(case, name=name, email=email, phone=phone)
    msg = queries.add_message(case, direction="inbound", channel=channel, sender=sender, subject=subject,
                              body=body, provider_id=provider_id)
    # Exactly one path per message: a new case is triaged; an answer to our question resumes
    # triage; a reply to an automatic answer goes to people; any other reply reopens the case.
    if new:
        enqueue("triage", case_id=case.id, key=f"triage:{case.id}")
    elif case.status == "needs_info" and asks_for_person(body):
        request_person(case, reason="The citizen asked for a person instead of answering our question.")
    elif case.status == "needs_info":
        _take_answer(case, msg, postcode=postcode, location_text=location_text)
    elif case.status in ("resolved", "closed") and case.disposition in ("self_served", "signposted"):
        request_person(case, reason="The citizen asked for a person after an automatic answer." if asks_for_person(body)
                       else "The citizen replied to an automatic answer.")
    else:
        citizen_replied(case)
    log.info("contact received", extra={"case": case.reference, "channel": channel, "new": new})
    return Received(case, msg)


def _keep_contact_details(case: Case, *, name: str | None, email: str | None, phone: str | None) -> None:
    """The details given with this contact become the case's own, filling only what it lacks.

    What the case shows advisers, where its replies go and who may track it come from here,
    not from the partnership-wide citizen record (decision 0024); a later contact never
    replaces a detail the case already has.
    """
    case.contact_name = case.contact_name or name or None
    case.contact_email = case.contact_email or (email or "").lower() or None
    case.contact_phone = case.contact_phone or phone or None


def _take_answer(case: Case, msg: Message, *, postcode: str | None, location_text: str | None) -> None:
    """The citizen answered our question: keep what they said and triage the case again."""
    details = dict(case.details or {})
    if postcode:
        case.postcode = postcode
    if location_text:
        case.location_text = details["location_text"] = location_text
    case.details = details
    queries.add_event(case, "answer_received", actor="citizen", asked=details.get("asked"), message=msg.id)
    enqueue("triage", case_id=case.id, key=f"triage:{case.id}:{msg.id}", message_id=msg.id)


def request_person(case: Case, *, reason: str) -> None:
    """Hand an automatically answered case to the responsible council's advisers (once).

    Used when the citizen replies PERSON, or presses "this did not answer my question".
    """
    if case.status not in ("resolved", "closed", "needs_info") or case.disposition == "escalated":
        return
    doc = current()
    svc = doc.service(case.service_code) if case.service_code else None
    case.status, case.disposition = "open", "escalated"
    case.self_served, case.resolved_at = False, None
    owner = doc.authority(case.authority_code) if case.authority_code else None
    if owner is None or not owner.partner:
        # A signposted council has no advisers here: the hub's own triage queue takes it.
        case.authority_code = doc.partnership.triage_authority
    case.sla_due_at = WorkingCalendar(doc).add_working_hours(utcnow(), svc.sla.hours if svc else 16)
    queries.add_event(case, "escalated", actor="citizen", reason=reason)
    auth = doc.authority(case.authority_code)
    send_reply(case, f"Thank you. An adviser from {auth.name if auth else 'the council'} will reply "
                     f"(ref {case.reference}).", key=f"person-reply:{case.id}")


def escalate_after_failure(*, task: str, args: dict[str, Any], case_id: int | None, error: str) -> None:
    """A job gave up: the case goes to people with the reason, never silently dropped.

    It gets a due time from now (the service's SLA, or 16 working hours when triage never
    chose a service) and at least high priority, so it sits near the top of the queue
    rather than below every case with a due time. A citizen who has had no reply at all
    is told their reference and that an adviser will reply (once).
    """
    if case_id is None:
        return
    case = queries.get_case(case_id, lock=True)
    if case is None:
        return
    if case.status in ("new", "needs_info", "resolved"):
        # A resolved case too: its automatic answer or report was never completed.
        case.status = "open"
        case.disposition = "escalated"
        case.self_served, case.resolved_at = False, None
    doc = current()
    if case.authority_code is None:
        case.authority_code = doc.partnership.triage_authority
    if case.status in QUEUE_STATUSES:
        svc = doc.service(case.service_code) if case.service_code else None
        if case.sla_due_at is None:
            case.sla_due_at = WorkingCalendar(doc).add_working_hours(utcnow(), svc.sla.hours if svc else 16)
        case.priority = min(case.priority, PRIORITIES["high"])
    queries.add_event(case, "job_failed", reason=f"Automatic step '{task}' failed after retries: {error}",
                      task=task)
    if not any(m.direction == "outbound" and m.public for m in queries.messages(case.id)):
        auth = doc.authority(case.authority_code)
        send_reply(case, f"Thank you for contacting us. Your reference is {case.reference}. An adviser from "
                         f"{auth.name if auth else 'the council'} will reply.", key=f"holding-reply:{case.id}")


def citizen_replied(case: Case) -> None:
    """A citizen's new message brings the case back to advisers.

    Waiting for the citizen pauses the SLA clock, so the due time moves on by the working
    hours spent waiting; a resolved or closed case is reopened (its clock carries on).
    """
    if case.status == "waiting_citizen":
        resume_after_wait(case, actor="citizen", reason="The citizen replied.")
    elif case.status in ("resolved", "closed"):
        case.status = "in_progress" if case.assigned_to_id else "open"
        case.resolved_at = case.closed_at = None
        queries.add_event(case, "reopened", actor="citizen", reason="The citizen replied to a resolved case.")


def resume_after_wait(case: Case, *, actor: str, reason: str, user_id: int | None = None) -> None:
    """End a wait for the citizen: back to the queue with the SLA extended by the pause."""
    from hub.db import utcnow
    from hub.partnership.calendar import WorkingCalendar
    from hub.partnership.service import current

    began = queries.last_event_at(case.id, "waiting")
    now = utcnow()
    paused = 0.0
    if began is not None and case.sla_due_at is not None:
        calendar = WorkingCalendar(current())
        paused = calendar.working_hours_between(began, now)
        if paused > 0:
            case.sla_due_at = calendar.add_working_hours(case.sla_due_at, paused)
    case.status = "in_progress" if case.assigned_to_id else "open"
    queries.add_event(case, "resumed", actor=actor, reason=reason, user_id=user_id,
                      paused_working_hours=round(paused, 2))
