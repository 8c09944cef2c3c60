"""Business operations on cases: receiving contacts, escalating, replying.

Every channel hands contacts here; the contact is stored (case, message, event, outbox
rows) in the caller's transaction, which commits before the sender gets an answer.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from hub.cases import queries
from hub.cases.models import Case, Message
from hub.citizens import queries as citizens
from hub.jobs.dispatch import enqueue

log = logging.getLogger(__name__)


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
    if provider_id:
        existing = queries.find_message(channel, "inbound", provider_id)
        if existing is not None:
            found = queries.get_case(existing.case_id)
            assert found is not None
            log.info("duplicate delivery ignored", extra={"case": found.reference, "channel": channel})
            return Received(found, existing, duplicate=True)
    citizen = citizens.find_or_create(name=name, email=email, phone=phone)
    new = case is None
    if case is None:
        triage: dict[str, Any] = {"chosen_service": chosen_service} if chosen_service else {}
        case = queries.new_case(channel=channel, citizen_id=citizen.id if citizen else None, postcode=postcode,
                                location_text=location_text, status="new", triage=triage,
                                summary=(subject or body)[:300])
        queries.add_event(case, "received", actor="citizen", channel=channel)
    msg = queries.add_message(case, direction="inbound", channel=channel, sender=sender, subject=subject,
                              body=body, provider_id=provider_id)
    if not new:
        citizen_replied(case)
    if new:
        enqueue("triage", case_id=case.id, key=f"triage:{case.id}")
    log.info("contact received", extra={"case": case.reference, "channel": channel, "new": new})
    return Received(case, msg)


def escalate_after_failure(*, task: str, args: dict[str, Any], case_id: int | None, error: str) -> None:
    """A job gave up: the case goes to people with the reason, never silently dropped."""
    if case_id is None:
        return
    case = queries.get_case(case_id, lock=True)
    if case is None:
        return
    if case.status in ("new", "needs_info"):
        case.status = "open"
        case.disposition = "escalated"
    if case.authority_code is None:
        from hub.partnership.service import current

        case.authority_code = current().partnership.triage_authority
    queries.add_event(case, "job_failed", reason=f"Automatic step '{task}' failed after retries: {error}",
                      task=task)


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
