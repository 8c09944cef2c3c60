"""Missed bin: log a report the crews can act on, or explain why it cannot be taken.

Council rules (partnership `waste_collection`): a bin is only "missed" after the crews
finish on its collection day, and reports are taken up to the configured number of working
days after; outside that window the resident is told why and when to try, and nothing is
logged. The configured number of missed collections at one address within the configured
weeks means something is wrong with the round, so the report goes to the district's advisers
instead. Misses are counted per collection day, not per message: a second report of a
collection already logged is linked to the first report (`case.duplicate_of_id`) and the
citizen is given the first reference, so one missed Friday never looks like a failing round.

`answer()` decides without side effects beyond a lock: it reads earlier reports of the house
after `common.lock_place`, and returns the case's keys and link for triage to store with the
decision (decision 0028); `log_report()` is the job that records the report once the decision
is stored.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from hub.partnership.routing import Route
from hub.partnership.schema import PartnershipDoc, ServiceDef
from hub.triage.pipeline import Contact, WorkflowResult
from workflows import common
from workflows.schedule import check_missed_report

_ASK = {"address": "your house number and street", "bin_type": "which bin was missed (general waste, recycling or garden)",
        "postcode": "your postcode"}


def _ask(missing: list[str]) -> str:
    parts = [_ASK[m] for m in missing]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"To report a missed bin we need {listed}. Please reply with {'it' if len(parts) == 1 else 'them'}."


def earlier_misses(service_code: str, key: str, collection: dt.date, at: dt.datetime, weeks: int) -> int:
    """Other collections missed at this house in the period (0 outside an app context)."""
    if not common.can_query():
        return 0
    from hub.cases import queries

    return queries.missed_collections(service_code, key, since=collection - dt.timedelta(weeks=weeks),
                                      excluding=collection, at=at)


def first_report(service_code: str, key: str, collection: dt.date, bin_type: str,
                 reference: str | None) -> Any | None:
    """The report already logged for this same bin missed on this same day (None outside an app context).

    Recycling and garden waste go out on the same day, so the bin matters: a missed garden
    bin is not the recycling already reported.
    """
    if not common.can_query():
        return None
    from hub.cases import queries

    # Locked per house (`common.lock_place`) until the decision is stored; the count of
    # earlier misses read after this is then as exact as the link.
    common.lock_place(service_code, key, reference)
    reports = queries.missed_reports(service_code, key, collection, excluding_reference=reference)
    return next((case for case in reports if _bin_type(case) == bin_type), None)


def _bin_type(case: Any) -> str | None:
    """The bin a report is about: as logged, or as decided (its log job may not have run yet)."""
    details = case.details or {}
    return (details.get("missed_bin") or {}).get("bin_type") or details.get("bin_type")


def answer(doc: PartnershipDoc, service: ServiceDef, contact: Contact, postcode: str | None,
           route: Route, at: dt.datetime) -> WorkflowResult:
    details = contact.details or {}
    addr = common.address(contact.text, details)
    kinds = common.bin_types(contact.text, details)
    known: dict[str, Any] = {"postcode": postcode}
    if addr:
        known["address"] = addr
    if kinds:
        known["bin_type"] = kinds[0]
    missing = [need for need, value in (("address", addr), ("bin_type", kinds), ("postcode", postcode)) if not value]
    if missing:
        return WorkflowResult("needs_info", _ask(missing),
                              f"A missed-bin report needs {', '.join(missing)}; asking the citizen.",
                              needs=missing, data={"details": known})
    assert addr is not None and postcode is not None
    rules = common.waste_rules(doc)
    sector, rnd = common.round_for(doc, postcode)
    council = route.authority.name if route.authority else "The council"
    if rules is None or rnd is None or doc.waste_collection is None:
        return WorkflowResult("escalated", f"Thank you. {council} will look into your missed collection.",
                              f"No collection round is configured for sector {sector}, so an adviser must check it.",
                              data={"details": known})
    bin_type = kinds[0]
    label = common.BIN_LABELS[bin_type]
    check = check_missed_report(rules, rnd, bin_type, common.local(doc, at))
    if not check.ok:
        return WorkflowResult("self_served", check.message,
                              f"Not logged: the report is outside the reporting window ({check.reason}).",
                              data={"details": known, "window": check.reason})

    key = common.address_key(addr, postcode)
    policy = doc.waste_collection.repeat_miss_escalation
    count, weeks = policy.count, policy.weeks
    assert check.collection is not None
    day = check.collection.date
    report = {"address": addr, "address_key": key, "bin_type": bin_type, "collection_date": day.isoformat()}
    ref = common.reference_text(details)
    first = first_report(service.code, key, day, bin_type, details.get("reference"))
    # Stored with the decision, under the house's lock, so the next report finds this one.
    case = {"address_key": key[:200], "collection_date": day, "duplicate_of_id": first.id if first else None}
    if first is not None:
        # Another message about a miss already logged: one job for the crew, not two.
        return WorkflowResult(
            "self_served",
            f"Thank you. The missed {label} collection on {common.short_day(day)} at {addr} is already logged "
            f"(ref {first.reference}); we've added your message{ref} to it.",
            f"This collection ({day.isoformat()}) was already reported missed at this address as "
            f"{first.reference}: linked to it, not logged again.",
            data={"details": known, "case": case,
                  "effect": {"job": "missed_bin_log", "report": report,
                             "duplicate_of": first.id, "duplicate_ref": first.reference}})
    before = earlier_misses(service.code, key, day, at, weeks)
    effect = {"job": "missed_bin_log", "report": report}
    if before + 1 >= count:
        return WorkflowResult(
            "escalated",
            f"Thank you. This is missed collection number {before + 1} at {addr} in {weeks} weeks, so "
            f"{council}'s waste team will look into it and contact you{ref}.",
            f"{before} other missed collections at {addr} within {weeks} weeks: with this one that reaches "
            f"{count}, so it goes to {council}'s advisers.",
            data={"details": known, "case": case, "effect": effect, "repeat": before + 1})
    nxt = check.next_collection
    when = f" Your next {label} collection is {common.short_day(nxt.date)}." if nxt else ""
    return WorkflowResult(
        "self_served",
        f"Thank you. We've logged your missed {label} bin at {addr}{ref}. The crew will be asked to "
        f"return; please leave the bin out until it is emptied.{when}",
        f"Reported inside the window (collection day {day.isoformat()}); "
        f"{before} other missed collections at this address within {weeks} weeks.",
        data={"details": known, "case": case, "effect": effect})


def log_report(case_id: int, **_: Any) -> None:
    """Job: record the missed collection (or the link to its first report) and send the reply, once."""
    from hub.triage.service import finish_workflow

    def record(case: Any, effect: dict[str, Any]) -> tuple[str, str]:
        report = effect.get("report")
        if not report:
            raise ValueError("the stored decision has no missed-bin report to log")
        # The place keys were stored with the triage decision (under the house's lock).
        case.details = {**(case.details or {}), "missed_bin": report}
        case.location_text = case.location_text or report["address"]
        original = common.link_duplicate(case, effect.get("duplicate_of"), actor="job:missed_bin",
                                         reason="reports the same missed collection.")
        if original is not None:
            return "linked_duplicate", f"Same missed collection as {original.reference}: linked to it."
        return "missed_bin_logged", f"Missed {report['bin_type']} collection logged at {report['address']}."

    finish_workflow(case_id, "missed_bin", record)
