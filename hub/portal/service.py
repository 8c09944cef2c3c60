"""What the portal does for citizens: submit a journey as a contact, show what happened,
let them track their case and reply, and the bin-day calendar.

Every contact goes through `receive_contact` like email and SMS do, so triage and the
workflows decide the answer; the portal only shows the reply stored on the case.
"""
from __future__ import annotations

import datetime as dt
import hmac
import logging
from dataclasses import dataclass, field
from typing import Any

from hub import references
from hub.cases import queries as cases
from hub.cases.models import Case, Message
from hub.cases.service import receive_contact, request_person
from hub.db import utcnow
from hub.geo import postcodes
from hub.messaging.service import send_reply
from hub.partnership.schema import AuthorityDef
from hub.partnership.service import current
from hub.portal.forms import uk_phone
from hub.portal.journeys import Journey, contact_text
from hub.triage.pipeline import Contact
from hub.triage.service import pipeline

log = logging.getLogger(__name__)

STATUS_TEXT = {
    "new": "Received", "needs_info": "We need more information from you", "open": "With an adviser",
    "in_progress": "An adviser is working on it", "waiting_citizen": "Waiting for your reply",
    "resolved": "Resolved", "closed": "Closed",
}


@dataclass
class Outcome:
    """What the confirmation page tells the citizen about their case."""

    reference: str
    status: str
    disposition: str | None
    reply: str | None
    safeguarding: bool
    signpost: AuthorityDef | None
    authority: AuthorityDef | None
    sla_due_at: dt.datetime | None
    can_escalate: bool
    bin_day_postcode: str | None
    needs: list[str] = field(default_factory=list)


def submit(journey: Journey, answers: dict[str, Any]) -> str:
    """Store the journey's answers as one web contact; returns the case reference."""
    body, location = contact_text(journey, answers)
    chosen = journey.service or answers.get("service") or None
    phone = uk_phone(answers.get("phone"))
    email = (answers.get("email") or "").strip().lower() or None
    received = receive_contact(channel="web", body=body, subject=journey.title,
                               postcode=postcodes.normalise(answers.get("postcode")),
                               name=answers.get("name") or None, email=email, phone=phone,
                               chosen_service=chosen, location_text=location)
    case = received.case
    # What the citizen told us in answer to our questions, as the workflows read it.
    answered = {k: answers[k] for k in ("address", "bin_type") if answers.get(k)}
    case.details = {**(case.details or {}), **answered, "portal_journey": journey.name}
    _confirm(case, journey, email=email, phone=phone)
    log.info("portal contact submitted", extra={"case": case.reference, "journey": journey.name})
    return case.reference


def _confirm(case: Case, journey: Journey, *, email: str | None, phone: str | None) -> None:
    """An email or text with the reference, on whichever the citizen gave us."""
    name = current().partnership.name
    text = (f"{name}: we have received your request ({journey.title.lower()}). Your reference is "
            f"{case.reference}. Keep it to track your case or reply to us.")
    if email:
        send_reply(case, text, channel="email", key=f"portal-confirm-email:{case.id}")
    if phone:
        send_reply(case, text, channel="sms", key=f"portal-confirm-sms:{case.id}")


def _reply(case: Case) -> Message | None:
    replies = [m for m in cases.messages(case.id)
               if m.direction == "outbound" and m.channel == "web" and m.public]
    return replies[-1] if replies else None


def outcome(reference: str) -> Outcome | None:
    case = cases.get_case_by_reference(reference)
    if case is None:
        return None
    doc = current()
    reply = _reply(case)
    authority = doc.authority(case.authority_code) if case.authority_code else None
    triage = case.triage or {}
    journey = (case.details or {}).get("portal_journey")
    safeguarding = bool(triage.get("safeguarding"))
    reply_text = reply.body if reply else None
    if case.status == "new" and _at_risk(case):
        # Triage has not run yet (jobs on a busy worker): a person at risk still sees how to
        # get help now, from the same checks triage will apply.
        safeguarding, reply_text = True, doc.safeguarding.reply
    return Outcome(
        reference=case.reference, status=STATUS_TEXT.get(case.status, case.status),
        disposition=case.disposition, reply=reply_text, safeguarding=safeguarding,
        signpost=authority if case.disposition == "signposted" else None,
        authority=authority, sla_due_at=case.sla_due_at,
        can_escalate=case.disposition == "self_served" and journey not in ("bin_day",),
        bin_day_postcode=case.postcode if case.service_code == "waste.bin_day" and case.postcode else None,
        needs=list(triage.get("needs") or []),
    )


def _at_risk(case: Case) -> bool:
    text = "\n".join(m.body for m in cases.messages(case.id) if m.direction == "inbound")
    return pipeline().safeguarding_concern(text, "web") is not None


def not_answered(reference: str) -> bool:
    """"This did not answer my question": the automatic answer was not enough, so people take it."""
    case = cases.get_case_by_reference(reference)
    if case is None or case.disposition != "self_served":
        return False
    case = cases.get_case(case.id, lock=True)
    assert case is not None
    request_person(case, reason="The citizen said the automatic answer did not answer their question.")
    log.info("self-service answer refused by citizen", extra={"case": case.reference})
    return True


def find_for_tracking(reference: str, contact: str) -> str | None:
    """The case's reference when the reference and the email or phone used both match.

    Any mismatch gives the same None, so the page cannot tell a wrong reference from a
    wrong email: references cannot be confirmed by guessing.
    """
    ref = references.normalise(reference)
    case = cases.get_case_by_reference(ref) if ref else None
    given = contact.strip()
    ok = False
    # The case's own contact details only: the shared citizen record may hold details that
    # came from someone else's contact (decision 0024).
    if case is not None:
        if "@" in given and case.contact_email:
            ok = hmac.compare_digest(given.lower().encode(), case.contact_email.lower().encode())
        elif "@" not in given:
            phone = uk_phone(given)
            ok = bool(phone and case.contact_phone
                      and hmac.compare_digest(phone.encode(), case.contact_phone.encode()))
    if not ok:
        log.info("tracking refused: reference and contact do not match", extra={"reference_valid": ref is not None})
        return None
    assert case is not None
    return case.reference


@dataclass
class Tracked:
    reference: str
    status: str
    summary: str | None
    created_at: dt.datetime
    history: list[tuple[str, str, dt.datetime]]  # (who, text, when)


def tracked(reference: str) -> Tracked | None:
    case = cases.get_case_by_reference(reference)
    if case is None:
        return None
    doc = current()
    council = doc.authority(case.authority_code).name if case.authority_code and doc.authority(case.authority_code) \
        else doc.partnership.name
    history: list[tuple[str, str, dt.datetime]] = []
    for m in cases.messages(case.id):
        if not m.public:
            continue
        who = "You" if m.direction == "inbound" else council
        if history and history[-1][:2] == (who, m.body):
            continue  # the same confirmation sent by email and by text
        history.append((who, m.body, m.created_at))
    return Tracked(case.reference, STATUS_TEXT.get(case.status, case.status), case.summary, case.created_at, history)


def add_reply(reference: str, text: str) -> None:
    """The citizen adds information: it joins the case, which goes (back) to the advisers."""
    case = cases.get_case_by_reference(reference)
    if case is None:
        return
    case = cases.get_case(case.id, lock=True)
    assert case is not None
    # The shared intake decides: an answer to our question resumes triage, a reply to an
    # automatic answer goes to advisers, any other reply reopens the case.
    receive_contact(channel="web", body=text, case=case)


def collections(postcode: str) -> list[dict[str, Any]]:
    """Next bin collections for a postcode, from the bin-day workflow (through triage)."""
    canonical = postcodes.normalise(postcode)
    if canonical is None:
        return []
    decision = pipeline().decide(Contact(text="When are my bins collected?", channel="web",
                                         postcode=canonical, service="waste.bin_day"))
    return list(decision.data.get("collections") or [])


def calendar(postcode: str) -> str | None:
    """An iCalendar feed of the next collections, to subscribe to; None when there are none."""
    found = collections(postcode)
    if not found:
        return None
    canonical = postcodes.normalise(postcode)
    name = current().partnership.name
    stamp = utcnow().strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//{name}//Bin collections//EN",
             f"X-WR-CALNAME:Bin collections {canonical}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    for item in found:
        day = dt.date.fromisoformat(item["date"])
        bins = " and ".join(b.replace("general", "general waste") for b in item.get("bins", []))
        lines += ["BEGIN:VEVENT", f"UID:{day:%Y%m%d}-{str(canonical).replace(' ', '')}@bins",
                  f"DTSTAMP:{stamp}", f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
                  f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
                  f"SUMMARY:Bin collection: {bins}", "TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"
