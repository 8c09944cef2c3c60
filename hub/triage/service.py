"""Triage as a job: run the pipeline on a stored case and record the decision.

Idempotent: a case is triaged only from the states that wait for it ("new", or
"needs_info" with a fresh answer), so running the job twice changes nothing more.
"""
from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Iterable

from flask import current_app, has_app_context

from hub.cases import queries as cases
from hub.cases.models import PRIORITIES
from hub.db import utcnow
from hub.messaging.service import send_reply
from hub.partnership.calendar import WorkingCalendar
from hub.partnership.schema import PartnershipDoc
from hub.partnership.service import current
from hub.triage import model as triage_model
from hub.triage import queries as triage_queries
from hub.triage.pipeline import Contact, Decision, Pipeline
from hub.triage.safeguarding import SafeguardingDetector
from hub.triage.urgency import UrgencyCheck

log = logging.getLogger(__name__)

STATUS_FOR = {"self_served": "resolved", "signposted": "resolved", "needs_info": "needs_info",
              "escalated": "open", "urgent": "open"}


def pipeline() -> Pipeline:
    """The app's pipeline, built once per app (the classifier is the costly part)."""
    ext = current_app.extensions
    if "hub.pipeline" not in ext:
        ext["hub.pipeline"] = build_pipeline(current())
    return ext["hub.pipeline"]


def corrections() -> list[triage_model.TrainingRow]:
    """Advisers' re-categorisations, as training rows for the next model build."""
    return [triage_model.TrainingRow(ex.text, ex.service_code, ex.channel, ex.service_code == "social_care.safeguarding",
                                     triage_model.CORRECTION_WEIGHT)
            for ex in triage_queries.training_examples()]


def build_pipeline(doc: PartnershipDoc, *, extra: Iterable[triage_model.TrainingRow] | None = None,
                   model_dir: Path | None = None, use_saved: bool = True) -> Pipeline:
    """The pipeline with models trained on the partnership, the training set and corrections.

    With an app context, corrections come from the database and a fresh saved model in
    `instance/` is reused; without one (scripts, unit tests) or with `extra`/`model_dir`
    given, only what is passed is used.
    """
    in_app = has_app_context()
    if extra is None:
        extra = corrections() if in_app else []
    if model_dir is None and use_saved and in_app:
        model_dir = Path(current_app.instance_path)
    rows = triage_model.training_rows(doc, extra)
    models = triage_model.load_or_build(rows, model_dir if use_saved else None)
    detector = SafeguardingDetector(doc, models.safeguarding)
    return Pipeline(doc, models.classifier, [detector.check], urgency=UrgencyCheck(models.urgency))


def record_correction(case, new_service_code: str, user_id: int | None) -> None:
    """An adviser re-categorised a case: its text and the right service become training data.

    The next model build learns from it (this process rebuilds on its next triage; other
    processes when they restart or `hub triage-model build` refreshes the saved model).
    """
    if current().service(new_service_code) is None:
        raise ValueError(f"unknown service {new_service_code!r}")
    text = "\n\n".join(m.body for m in cases.messages(case.id) if m.direction == "inbound")
    if not text.strip():
        return
    triage_queries.add_training_example(text=text, service_code=new_service_code, channel=case.channel,
                                        case_id=case.id, user_id=user_id)
    current_app.extensions.pop("hub.pipeline", None)
    log.info("training example recorded", extra={"case": case.reference, "service": new_service_code})


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
