"""Triage as a job: run the pipeline on a stored case and record the decision.

Idempotent: a case is triaged only from the states that wait for it ("new", or
"needs_info" with a fresh answer), so running the job twice changes nothing more.
"""
from __future__ import annotations

import datetime as dt
import logging
from functools import lru_cache

from flask import current_app

from hub.cases import queries as cases
from hub.cases.models import PRIORITIES
from hub.db import utcnow
from hub.messaging.service import send_reply
from hub.partnership.calendar import WorkingCalendar
from hub.partnership.schema import PartnershipDoc
from hub.partnership.service import current
from hub.triage.classify import KeywordClassifier
from hub.triage.pipeline import Contact, Decision, Pipeline

log = logging.getLogger(__name__)

STATUS_FOR = {"self_served": "resolved", "signposted": "resolved", "needs_info": "needs_info",
              "escalated": "open", "urgent": "open"}


def pipeline() -> Pipeline:
    """The app's pipeline, built once per app (the classifier is the costly part)."""
    ext = current_app.extensions
    if "hub.pipeline" not in ext:
        ext["hub.pipeline"] = build_pipeline(current())
    return ext["hub.pipeline"]


def build_pipeline(doc: PartnershipDoc) -> Pipeline:
    return Pipeline(doc, KeywordClassifier(doc))


def _case_text(case_id: int) -> str:
    inbound = [m.body for m in cases.messages(case_id) if m.direction == "inbound"]
    return "\n\n".join(inbound)


def apply_decision(case, decision: Decision, *, actor: str = "job:triage") -> None:
    """Store the decision on the case with its reasons, status, priority and SLA."""
    doc = current()
    case.service_code = decision.service
    case.authority_code = decision.authority
    case.disposition = decision.disposition
    case.status = STATUS_FOR[decision.disposition]
    case.workflow = decision.workflow
    case.postcode = decision.postcode or case.postcode
    case.routing_explanation = decision.routing
    case.triage = decision.as_json()
    svc = doc.service(decision.service) if decision.service else None
    if decision.urgent or decision.safeguarding:
        case.priority = PRIORITIES["urgent"]
    elif svc is not None:
        case.priority = PRIORITIES[svc.priority]
    if case.status == "open" and case.sla_due_at is None:
        hours = svc.sla.hours if svc else 16
        case.sla_due_at = WorkingCalendar(doc).add_working_hours(case.created_at, hours)
    if case.status == "resolved":
        case.resolved_at = case.resolved_at or utcnow()
        case.self_served = decision.disposition == "self_served"
    cases.add_event(case, "triaged", actor=actor, reason=" ".join(decision.explanation),
                    disposition=decision.disposition, service=decision.service,
                    authority=decision.authority, confidence=round(decision.confidence, 3))


def triage_case(case_id: int) -> None:
    case = cases.get_case(case_id, lock=True)
    if case is None or case.status not in ("new",):
        return
    contact = Contact(text=_case_text(case_id), channel=case.channel, postcode=case.postcode,
                      service=(case.triage or {}).get("chosen_service"), at=case.created_at)
    decision = pipeline().decide(contact)
    apply_decision(case, decision)
    if decision.reply:
        send_reply(case, decision.reply, key=f"triage-reply:{case.id}")


def run_workflow(case_id: int) -> None:
    """Placeholder for workflows with side effects (missed-bin log, street reports)."""
    return None


def escalate_if_unanswered(case_id: int) -> None:
    """A case waiting for the citizen's answer too long goes to advisers instead."""
    case = cases.get_case(case_id, lock=True)
    if case is None or case.status != "needs_info":
        return
    case.status = "open"
    case.disposition = "escalated"
    case.authority_code = case.authority_code or current().partnership.triage_authority
    cases.add_event(case, "escalated", reason="The citizen did not supply the information asked for in time.")
