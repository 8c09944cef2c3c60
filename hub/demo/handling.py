"""How a demo contact was handled: replies the hub sent, and an escalated case's life.

Timings follow the partnership's working calendar, so SLA figures in reports and the
queue behave as they would with real advisers: most first responses fall within the
service's SLA, some breach it, and cases still being worked on sit in the queue now.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from hub.geo import postcodes
from hub.partnership.calendar import WorkingCalendar
from hub.partnership.routing import Route
from hub.partnership.schema import PartnershipDoc, ServiceDef

DAY_NAMES = {"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday", "fri": "Friday"}
BREACH_RATE = 0.12
# Cases that stall (waiting on a contractor, a visit, another team) and are still open now.
STALL_RATE = 0.02
# The queue now: escalations not yet picked up, most of them recent (a busy spell): the chance
# falls from BACKLOG_RATE for today's cases to nothing for cases BACKLOG_WINDOW old.
BACKLOG_RATE = 0.9
BACKLOG_WINDOW = dt.timedelta(days=16)


@dataclass
class Handling:
    sla_due_at: dt.datetime | None
    first_response_at: dt.datetime | None
    resolved_at: dt.datetime | None
    status: str
    assigned: bool


def lifecycle(rng: random.Random, cal: WorkingCalendar, now: dt.datetime, created: dt.datetime,
              service: ServiceDef, *, urgent: bool, assisted: bool) -> Handling:
    """When an adviser first answered and resolved a case, and so where it stands now."""
    sla_hours = service.sla.hours
    sla_due = cal.add_working_hours(created, sla_hours)
    if assisted:
        first = created
        if rng.random() < 0.85:
            resolved: dt.datetime | None = created + dt.timedelta(minutes=rng.uniform(4, 18))
        else:  # a call that needs follow-up work (a visit, a referral)
            resolved = cal.add_working_hours(created, rng.uniform(4, 120))
    else:
        if urgent:
            spent = sla_hours * rng.uniform(0.02, 0.4)
        elif rng.random() < BREACH_RATE:
            spent = sla_hours * rng.uniform(1.05, 1.9)
        else:
            spent = sla_hours * rng.uniform(0.3, 0.98)
        first = cal.add_working_hours(created, spent)
        if rng.random() < 0.45:
            resolved = first + dt.timedelta(minutes=rng.uniform(2, 30))
        else:
            resolved = cal.add_working_hours(first, rng.uniform(2, 120))
    if not assisted and rng.random() < STALL_RATE:
        resolved = None
    age = (now - created) / BACKLOG_WINDOW
    behind = not assisted and age < 1 and rng.random() < BACKLOG_RATE * (1 - age)
    if first > now or behind:
        return Handling(sla_due, None, None, "open", assigned=rng.random() < 0.3)
    if resolved is None or resolved > now:
        return Handling(sla_due, first, None, "in_progress", assigned=True)
    return Handling(sla_due, first, resolved, "resolved", assigned=True)


def self_service_reply(doc: PartnershipDoc, service: ServiceDef, postcode: str | None, location: str,
                       reference: str, authority: str, created: dt.datetime, rng: random.Random) -> str:
    """What the workflow told the citizen (shortened versions of the real workflows' answers)."""
    if service.workflow == "bin_day" and postcode and doc.waste_collection:
        rounds = doc.waste_collection.rounds.get(postcodes.sector(postcode))
        if rounds is not None:
            week = ((created.date() - doc.waste_collection.anchor).days // 7) % 2
            which = "recycling" if "AB"[week] == rounds.cycle else "general waste"
            return (f"Bins at {postcode} are collected on {DAY_NAMES[rounds.day]}s. "
                    f"This week it is the {which} bin. Please put it out by 7am.")
        return f"Bins at {postcode} are collected weekly; check the collection calendar for your round."
    if service.workflow == "missed_bin":
        return (f"Thank you. We have logged the missed collection at {location}; the crew will return "
                f"within 2 working days. Your reference is {reference}.")
    if service.workflow == "street_report":
        return (f"Thank you for your report of '{service.name.lower()}' at {location}. {authority} will "
                f"inspect it. Your reference is {reference}.")
    article = next((a for a in doc.knowledge_base if a.service == service.code), None)
    if article is not None:
        return f"{article.answer} More: {article.link}" if article.link else article.answer
    return f"Thank you. Your reference is {reference}."


def signpost_reply(routed: Route) -> str:
    auth = routed.authority
    assert auth is not None
    how = " or ".join(x for x in (f"call {auth.phone}" if auth.phone else "", f"visit {auth.web}" if auth.web else "") if x)
    return f"This is handled by {auth.name}, which is not part of this hub. Please contact them directly: {how}."


def acknowledgement(doc: PartnershipDoc, service: ServiceDef, routed: Route, reference: str, *,
                    urgent: bool) -> str:
    auth = routed.authority
    assert auth is not None
    if service.code == "social_care.safeguarding":
        return doc.safeguarding.reply
    if urgent:
        return f"Thank you. This has been passed to {auth.name} as urgent. Your reference is {reference}."
    return (f"Thank you. {auth.name} will reply within {service.sla.hours} working hours. "
            f"Your reference is {reference}.")
