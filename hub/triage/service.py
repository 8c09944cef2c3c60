"""Triage as a job: run the pipeline on a stored case and record the decision.

Idempotent: a case is triaged only from the states that wait for it ("new", or
"needs_info" with an inbound message newer than the last triage), so running the job
twice changes nothing more. A workflow with effects (logging a missed bin, a street
report) gets its own job, run after the decision is stored; that job sends the reply, so
the citizen is given a reference only once the report really is logged.
"""
from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any, Callable, Iterable

from flask import current_app, has_app_context

from hub.cases import queries as cases
from hub.cases.models import PRIORITIES
from hub.db import utcnow
from hub.jobs.dispatch import enqueue
from hub.messaging.service import send_reply
from hub.partnership.calendar import WorkingCalendar
from hub.partnership.schema import PartnershipDoc
from hub.partnership.service import current
from hub.triage import model as triage_model
from hub.triage import queries as triage_queries
from hub.triage.pipeline import Contact, Decision, Pipeline, train_workflows
from hub.triage.safeguarding import SafeguardingDetector
from hub.triage.urgency import UrgencyCheck

log = logging.getLogger(__name__)

STATUS_FOR = {"self_served": "resolved", "signposted": "resolved", "needs_info": "needs_info",
              "escalated": "open", "urgent": "open"}
# Case columns a workflow's decision may set (`Decision.data["case"]`): where its report is
# and the earlier report it repeats. They are stored with the decision, in the transaction
# that looked for that earlier report under the place's lock (workflows.common.lock_place),
# so that the next report of the same place, waiting on that lock, finds this one.
WORKFLOW_COLUMNS = frozenset({"location_key", "address_key", "collection_date", "duplicate_of_id"})


def pipeline() -> Pipeline:
    """The app's pipeline, built once per app (the classifier is the costly part)."""
    ext = current_app.extensions
    if "hub.pipeline" not in ext:
        ext["hub.pipeline"] = build_pipeline(current())
    return ext["hub.pipeline"]


def corrections() -> list[triage_model.TrainingRow]:
    """Advisers' re-categorisations, as training rows for the next model build.

    A database without the table yet (code deployed before `hub db upgrade`) has no
    corrections: triage still works from the partnership and the training set. The table is
    looked up rather than queried and caught, so the caller's transaction (a triage job
    holding its case's lock) is never rolled back underneath it.
    """
    if not triage_queries.has_training_examples_table():
        log.warning("advisers' corrections unavailable (run `hub db upgrade`); building without them")
        return []
    return [triage_model.TrainingRow(ex.text, ex.service_code, ex.channel, ex.service_code == "social_care.safeguarding",
                                     triage_model.CORRECTION_WEIGHT)
            for ex in triage_queries.training_examples()]


def build_pipeline(doc: PartnershipDoc, *, extra: Iterable[triage_model.TrainingRow] | None = None,
                   model_dir: Path | None = None, use_saved: bool = True,
                   train: Iterable[dict[str, Any]] | None = None) -> Pipeline:
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
    items = triage_model.read_jsonl(triage_model.TRAIN_FILE) if train is None else list(train)
    rows = triage_model.training_rows(doc, extra, items)
    models = triage_model.load_or_build(rows, model_dir if use_saved else None)
    detector = SafeguardingDetector(doc, models.safeguarding)
    return Pipeline(doc, models.classifier, [detector.check], urgency=UrgencyCheck(models.urgency),
                    trained=train_workflows(doc, items))


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


def _case_text(case_id: int) -> tuple[str, Any]:
    """Everything the citizen has written on the case, and their latest message."""
    inbound = [m for m in cases.messages(case_id) if m.direction == "inbound"]
    return "\n\n".join(m.body for m in inbound), (inbound[-1] if inbound else None)


def apply_decision(case, decision: Decision, *, actor: str = "job:triage",
                   clock_from: dt.datetime | None = None) -> None:
    """Store the decision on the case with its reasons, status, priority and SLA.

    The SLA clock starts when the case reaches advisers with what they need: the
    citizen's latest message (``clock_from``; the decision time if not given). A case that
    waited in needs_info for the citizen's answer is not charged for that wait, as an
    adviser's "waiting for the citizen" pause is not.
    """
    doc = current()
    chosen = (case.triage or {}).get("chosen_service")
    case.service_code = decision.service
    case.authority_code = decision.authority
    case.disposition = decision.disposition
    case.status = STATUS_FOR[decision.disposition]
    case.workflow = decision.workflow
    case.postcode = decision.postcode or case.postcode
    case.routing_explanation = decision.routing
    case.triage = {**decision.as_json(), **({"chosen_service": chosen} if chosen else {})}
    svc = doc.service(decision.service) if decision.service else None
    if decision.urgent or decision.safeguarding:
        case.priority = PRIORITIES["urgent"]
    elif svc is not None:
        case.priority = PRIORITIES[svc.priority]
    if case.status == "open" and case.sla_due_at is None:
        hours = svc.sla.hours if svc else 16
        case.sla_due_at = WorkingCalendar(doc).add_working_hours(clock_from or utcnow(), hours)
    if case.status == "resolved":
        case.resolved_at = case.resolved_at or utcnow()
        case.self_served = decision.disposition == "self_served"
    for column, value in (decision.data.get("case") or {}).items():
        if column not in WORKFLOW_COLUMNS:
            raise ValueError(f"a workflow may not set case.{column}")
        setattr(case, column, value)
    cases.add_event(case, "triaged", actor=actor, reason=" ".join(decision.explanation),
                    disposition=decision.disposition, service=decision.service,
                    authority=decision.authority, confidence=round(decision.confidence, 3))


def triage_case(case_id: int, message_id: int | None = None) -> None:
    """Job: triage a new case, or re-triage one whose citizen has answered our question."""
    case = cases.get_case(case_id, lock=True)
    if case is None or case.status not in ("new", "needs_info"):
        return
    text, last_message = _case_text(case_id)
    latest = last_message.id if last_message is not None else None
    details = dict(case.details or {})
    if case.status == "needs_info" and (latest is None or latest == details.get("triaged_message_id")):
        return  # still waiting for the answer: nothing new to decide on
    known = {k: v for k, v in details.items() if k in ("address", "bin_type", "location_text") and v}
    if case.location_text and "location_text" not in known:
        known["location_text"] = case.location_text
    contact = Contact(text=text, channel=case.channel, postcode=case.postcode,
                      service=(case.triage or {}).get("chosen_service"),
                      # Judged as of the citizen's latest message (a missed-bin window, a bin day).
                      at=last_message.created_at if last_message is not None else case.created_at,
                      details={**known, "reference": case.reference})
    decision = pipeline().decide(contact)
    apply_decision(case, decision, clock_from=contact.at)
    found = {k: v for k, v in (decision.data.get("details") or {}).items() if v}
    details.update(found)
    details["triaged_message_id"] = latest
    effect = decision.data.get("effect")
    if decision.disposition == "needs_info":
        details["asked"] = decision.needs
        details["asked_at"] = utcnow().isoformat()
    if effect:
        details["workflow"] = {"effect": effect, "reply": decision.reply, "message_id": latest}
    case.details = details
    if effect:
        # The workflow's job logs the report and then sends this reply.
        enqueue(effect["job"], case_id=case.id, key=f"workflow:{case.id}:{latest}")
    elif decision.reply:
        send_reply(case, decision.reply, key=f"triage-reply:{case.id}:{latest}")


def finish_workflow(case_id: int, name: str, record: Callable[[Any, dict[str, Any]], tuple[str, str]]) -> None:
    """Run a workflow's effect on a case once, record it as an event, then send the stored reply.

    ``record(case, effect)`` applies the effect and returns (event kind, reason). The case
    remembers which triage decision's effect was applied, so a second run does nothing.
    """
    case = cases.get_case(case_id, lock=True)
    if case is None:
        return
    details = dict(case.details or {})
    pending = details.get("workflow") or {}
    if not pending.get("effect"):
        raise ValueError(f"case {case.reference} has no {name} decision to apply")
    if details.get("workflow_applied") == pending.get("message_id"):
        return
    kind, reason = record(case, pending["effect"])
    details = dict(case.details or {})
    details["workflow_applied"] = pending.get("message_id")
    case.details = details
    cases.add_event(case, kind, actor=f"job:{name}", reason=reason)
    if pending.get("reply"):
        send_reply(case, pending["reply"], key=f"workflow-reply:{case.id}:{pending.get('message_id')}")
    log.info("workflow applied", extra={"case": case.reference, "workflow": name, "outcome": kind})


def _asked_at(case) -> dt.datetime:
    raw = (case.details or {}).get("asked_at")
    return dt.datetime.fromisoformat(raw) if raw else case.updated_at


def escalate_if_unanswered(case_id: int) -> None:
    """Job: a case waiting for the citizen's answer past the timeout goes to advisers instead."""
    case = cases.get_case(case_id, lock=True)
    if case is None or case.status != "needs_info":
        return
    hours = current_app.config["HUB_SETTINGS"].needs_info_timeout_hours
    if utcnow() - _asked_at(case) < dt.timedelta(hours=hours):
        return
    doc = current()
    case.status = "open"
    case.disposition = "escalated"
    case.authority_code = case.authority_code or doc.partnership.triage_authority
    svc = doc.service(case.service_code) if case.service_code else None
    if case.sla_due_at is None:
        case.sla_due_at = WorkingCalendar(doc).add_working_hours(utcnow(), svc.sla.hours if svc else 16)
    cases.add_event(case, "escalated", actor="job:escalate_stale",
                    reason=f"The citizen did not supply the information asked for within {hours} hours.")
    send_reply(case, "We have not heard back from you, so an adviser will look at your request and contact you.",
               key=f"stale-reply:{case.id}")


def escalate_stale(now: dt.datetime | None = None) -> int:
    """For `hub sweep`: queue escalation of every needs_info case past the timeout; returns how many."""
    hours = current_app.config["HUB_SETTINGS"].needs_info_timeout_hours
    cutoff = (now or utcnow()) - dt.timedelta(hours=hours)
    queued = 0
    for case in cases.waiting_for_answer(cutoff):
        if _asked_at(case) <= cutoff:
            enqueue("escalate_stale", case_id=case.id, key=f"escalate-stale:{case.id}:{_asked_at(case).isoformat()}")
            queued += 1
    return queued
