"""Street reports (potholes, street lights, fly-tipping): log it where it is, once.

A report needs a place crews can find: a postcode (which also routes it to the right
council), with the street or landmark in the citizen's words kept on the case. Urgent
terms (an injury, exposed wires, asbestos) are handled by the pipeline before this runs.

The same fault is often reported by several neighbours: a new report of the same service
at the same place (same postcode, or the same street words in the same postcode sector)
is linked to the open one (`case.duplicate_of_id`) instead of creating a second job for
the crews, and the citizen is told when and under which reference it was first reported.
A report counts as open until its case is closed (the fault fixed); "resolved" only means
the contact itself was dealt with. Two reports decided at once are serialised per postcode
sector (`common.lock_place`), and the place key and link are stored with the decision, so
exactly one of them is the first (decision 0028).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from hub.geo import postcodes
from hub.partnership.routing import Route
from hub.partnership.schema import PartnershipDoc, ServiceDef
from hub.triage.pipeline import Contact, WorkflowResult
from workflows import common

# How far back an earlier report can still be the same fault.
DUPLICATE_WINDOW = dt.timedelta(days=90)
_REPORTED = ("open", "in_progress", "waiting_citizen", "resolved")
_NEXT = {
    "roads.pothole": "Highways inspectors assess reported potholes and schedule the repair.",
    "roads.street_light": "An engineer will inspect the light and repair it.",
    "environment.fly_tipping": "The waste team will inspect the site and clear it.",
}


def place_key(postcode: str | None, location: str | None) -> str | None:
    """'WR14 3|church street': the street words within the postcode sector (None without a street)."""
    key = common.location_key(location)
    if not key or not postcode or not postcodes.is_valid(postcode):
        return None
    return f"{postcodes.sector(postcode)}|{key}"[:200]


def find_open_report(service_code: str, postcode: str, key: str | None, at: dt.datetime,
                     reference: str | None = None) -> Any | None:
    """An earlier open report of this service at the same place (`key`: `place_key`), or None
    (none outside an app context).

    Locked per postcode sector first (`common.lock_place`): both ways of being the same
    place, the postcode and the street within the sector, lie inside one sector.
    """
    if not common.can_query():
        return None
    from hub.cases import queries

    common.lock_place(service_code, postcodes.sector(postcode) if postcodes.is_valid(postcode) else postcode,
                      reference)
    return queries.open_street_report(service_code, postcode=postcode, location_key=key,
                                      since=at - DUPLICATE_WINDOW, statuses=_REPORTED,
                                      excluding_reference=reference)


def answer(doc: PartnershipDoc, service: ServiceDef, contact: Contact, postcode: str | None,
           route: Route, at: dt.datetime) -> WorkflowResult:
    details = contact.details or {}
    location = common.street_location(contact.text, details)
    known: dict[str, Any] = {"postcode": postcode}
    if location:
        known["location_text"] = location
    if not postcode:
        return WorkflowResult(
            "needs_info", "Thank you. Where is it? Please reply with the postcode, and the street or a nearby landmark.",
            "A street report needs a place crews can find; asking the citizen where it is.",
            needs=["location"], data={"details": known})
    place = f"{location}, {postcode}" if location else postcode
    council = route.authority.name if route.authority else "The council"
    ref = common.reference_text(details)
    key = place_key(postcode, location)
    earlier = find_open_report(service.code, postcode, key, at, details.get("reference"))
    # Stored with the decision, under the place's lock, so the next report finds this one.
    case = {"location_key": key, "duplicate_of_id": earlier.id if earlier else None}
    if earlier is not None:
        first = common.short_day(earlier.created_at.date())
        return WorkflowResult(
            "self_served",
            f"Thank you. This was already reported on {first} (ref {earlier.reference}); we've added your "
            f"report{ref} to it. {_NEXT.get(service.code, '')}".strip(),
            f"An open {service.name.lower()} report at the same place ({earlier.reference}) exists: linked to it.",
            data={"details": known, "case": case,
                  "effect": {"job": "street_report_log", "place": place,
                             "duplicate_of": earlier.id, "duplicate_ref": earlier.reference}})
    return WorkflowResult(
        "self_served",
        f"Thank you. Your report at {place} has been passed to {council}{ref}. {_NEXT.get(service.code, '')}".strip(),
        f"Logged for {council} at {place}.",
        data={"details": known, "case": case, "effect": {"job": "street_report_log", "place": place}})


def log_report(case_id: int, **_: Any) -> None:
    """Job: record the report (and the link to an earlier one) and send the reply, once."""
    from hub.triage.service import finish_workflow

    def record(case: Any, effect: dict[str, Any]) -> tuple[str, str]:
        if "place" not in effect:
            raise ValueError("the stored decision has no street report to log")
        # The place key was stored with the triage decision (under the place's lock).
        location = (case.details or {}).get("location_text")
        if location and not case.location_text:
            case.location_text = location[:300]
        original = common.link_duplicate(case, effect.get("duplicate_of"), actor="job:street_report",
                                         reason="reports the same problem at the same place.")
        if original is not None:
            return "linked_duplicate", f"Same problem as {original.reference}: linked to it."
        return "street_report_logged", f"Street report logged at {effect['place']}."

    finish_workflow(case_id, "street_report", record)
