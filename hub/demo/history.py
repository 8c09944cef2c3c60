"""Twelve weeks of a partnership's contacts, generated deterministically, ready to insert.

The shape is what managers look for in channel-shift reports: phone and face-to-face
fall from about 60% of contacts to about 30% while web and SMS grow; common services
(bins, council tax, potholes, street lights, noise, fly-tipping) dominate and
safeguarding is rare; most contacts come from partner areas, the rest are signposted.
Every case is routed by `hub.partnership.routing.route`, exactly as triage would.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any, Callable

from hub.cases.models import PRIORITIES
from hub.demo import handling, texts
from hub.partnership.calendar import WorkingCalendar
from hub.partnership.routing import route
from hub.partnership.schema import PartnershipDoc, ServiceDef

SEED = 20260105
CONTACTS_PER_WEEK = 362
ASSISTED = ("phone", "face_to_face")
# Channel shares in the first and the last week; the weeks between move in a straight line.
FIRST_MIX = {"phone": 0.42, "face_to_face": 0.18, "web": 0.20, "sms": 0.08, "email": 0.10, "api": 0.02}
LAST_MIX = {"phone": 0.21, "face_to_face": 0.09, "web": 0.38, "sms": 0.18, "email": 0.09, "api": 0.05}
SERVICE_WEIGHTS = {
    "waste.bin_day": 14, "waste.missed_bin": 10, "waste.bulky": 4, "waste.new_bin": 4,
    "waste.recycling_centre": 3, "council_tax.payment": 8, "council_tax.account": 8, "benefits.housing": 4,
    "housing.homeless": 1.2, "planning.application": 2, "environment.noise": 5, "environment.fly_tipping": 5,
    "roads.pothole": 8, "roads.street_light": 6, "social_care.adult": 2, "social_care.safeguarding": 0.3,
    "schools.admissions": 1.5, "libraries.renewal": 1.5, "registration.birth_death": 1.5,
    "transport.blue_badge": 2, "general.enquiry": 3, "general.complaint": 1,
}
# Partner systems (a street-reporting app) only send reports about places.
API_SERVICES = ("roads.pothole", "roads.street_light", "environment.fly_tipping", "waste.missed_bin")
REPEATABLE = ("waste.missed_bin", "waste.new_bin", "waste.bulky", "roads.pothole", "roads.street_light",
              "environment.fly_tipping", "environment.noise", "council_tax.account", "benefits.housing")
HOUR_WEIGHT = [0.05] * 7 + [0.5, 0.8] + [1.0] * 9 + [0.8, 0.7, 0.6, 0.5, 0.3, 0.15]
PARTNER_SECTOR_WEIGHT = 4


@dataclass
class Plan:
    case: dict[str, Any]
    citizen: int | None
    messages: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)


class History:
    """Builds the plans; `advisers` maps each authority to the user ids that can work its cases."""

    def __init__(self, doc: PartnershipDoc, *, now: dt.datetime, weeks: int, advisers: dict[str, list[int]],
                 citizens: list[dict[str, Any]], new_reference: Callable[[], str]):
        self.doc, self.now, self.weeks = doc, now, weeks
        self.rng = random.Random(SEED)
        self.cal = WorkingCalendar(doc)
        self.advisers, self.citizens, self.new_reference = advisers, citizens, new_reference
        self.hub = doc.triage_authority
        partners = {a.code for a in doc.authorities if a.partner}
        self.sectors = list(doc.postcode_sectors)
        self.sector_weights = [PARTNER_SECTOR_WEIGHT if doc.postcode_sectors[s] in partners else 1
                               for s in self.sectors]
        self.services = {s.code: s for s in doc.services}
        self.hub_number = doc.partnership.sms_number
        self.hub_email = doc.partnership.email_address

    # -- sampling -------------------------------------------------------------------------
    def _mix(self, week: int) -> dict[str, float]:
        t = week / max(self.weeks - 1, 1)
        return {ch: FIRST_MIX[ch] + (LAST_MIX[ch] - FIRST_MIX[ch]) * t for ch in FIRST_MIX}

    def _pick(self, weights: dict[str, float]) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _service(self, channel: str) -> ServiceDef:
        if channel == "api":
            return self.services[self.rng.choice(API_SERVICES)]
        weights = dict(SERVICE_WEIGHTS)
        if channel in ASSISTED:  # people at risk mostly phone
            weights["social_care.safeguarding"] = 0.8
        return self.services[self._pick(weights)]

    def _postcode(self) -> str:
        sector = self.rng.choices(self.sectors, weights=self.sector_weights)[0]
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        return f"{sector}{self.rng.choice(letters)}{self.rng.choice(letters)}"

    def _time(self, channel: str, start: dt.datetime, end: dt.datetime) -> dt.datetime:
        """Phone lines and offices open in working hours; digital channels all day, mostly daytime."""
        span = (end - start).total_seconds()
        moment = start
        for _ in range(500):
            moment = start + dt.timedelta(seconds=self.rng.random() * span)
            local = moment.astimezone(self.cal.tz)
            if channel in ASSISTED:
                if self.cal.is_working_day(local.date()) and self.cal.start <= local.time() < self.cal.end:
                    return moment
            elif self.rng.random() < HOUR_WEIGHT[local.hour] * (0.6 if local.weekday() >= 5 else 1.0):
                return moment
        return moment

    def _citizen(self, channel: str, service: ServiceDef) -> int | None:
        if channel == "web" and service.workflow == "street_report" and self.rng.random() < 0.2:
            return None  # anonymous street reports from the portal
        while True:
            idx = int(len(self.citizens) * self.rng.random() ** 1.4)
            person = self.citizens[idx]
            if channel == "sms" and not person["phone"]:
                continue
            if channel in ("email", "web", "api") and not person["email"]:
                continue
            return idx

    def _adviser(self, authority: str) -> int:
        return self.rng.choice(self.advisers.get(authority) or self.advisers[self.hub.code])

    # -- building -------------------------------------------------------------------------
    def build(self) -> list[Plan]:
        plans: list[Plan] = []
        for week in range(self.weeks):
            start = self.now - dt.timedelta(weeks=self.weeks - week)
            end = start + dt.timedelta(weeks=1)
            t = week / max(self.weeks - 1, 1)
            count = round(CONTACTS_PER_WEEK * (0.97 + 0.06 * t) + self.rng.gauss(0, 10))
            mix = self._mix(week)
            for _ in range(count):
                channel = self._pick(mix)
                service = self._service(channel)
                created = self._time(channel, start, end)
                plans.append(self.contact(created, channel, service, self._postcode(),
                                          self._citizen(channel, service), self_serve_rate=0.78 + 0.12 * t))
        plans.extend(self._repeats(plans))
        plans.sort(key=lambda p: p.case["created_at"])
        return plans

    def _repeats(self, plans: list[Plan]) -> list[Plan]:
        """Citizens chasing a report within a week: the failure demand managers want to see."""
        repeats = []
        for plan in plans:
            case = plan.case
            if (case["service_code"] not in REPEATABLE or plan.citizen is None
                    or case["disposition"] in ("signposted", "needs_info") or self.rng.random() > 0.07):
                continue
            created = case["created_at"] + dt.timedelta(hours=self.rng.uniform(4, 160))
            if created >= self.now:
                continue
            channel = case["channel"] if self.rng.random() < 0.6 else "phone"
            if channel in ASSISTED:  # the next time the phone lines or offices are open
                created = self._time(channel, created, created + dt.timedelta(hours=30))
            # Chasers go to advisers: the workflow already answered once.
            repeat = self.contact(created, channel, self.services[case["service_code"]], case["postcode"],
                                  plan.citizen, self_serve_rate=0.0, repeat_of=case["reference"])
            if repeat.case["created_at"] < self.now:
                repeats.append(repeat)
        return repeats

    def contact(self, created: dt.datetime, channel: str, service: ServiceDef, postcode: str | None,
                citizen: int | None, *, self_serve_rate: float, repeat_of: str | None = None) -> Plan:
        """One contact as triage and the advisers would have left it: case, messages, events."""
        rng, doc = self.rng, self.doc
        assisted = channel in ASSISTED
        person = self.citizens[citizen] if citizen is not None else None
        urgent_text = service.code in texts.URGENT_INBOUND and rng.random() < 0.05
        # A few recent digital contacts gave no postcode and are waiting for the citizen's answer.
        needs_info = (not assisted and not urgent_text and service.tier != "partnership" and service.needs
                      and self.now - created < dt.timedelta(days=3) and rng.random() < 0.08)
        if needs_info:
            postcode = None
        body, subject, location = texts.inbound(service.code, channel, rng, postcode, urgent=urgent_text,
                                                repeat=repeat_of is not None, name=person and person["name"])
        routed = route(doc, service, postcode)
        urgent = urgent_text or service.code == "social_care.safeguarding"
        if needs_info:
            disposition = "needs_info"
        elif not routed.partner:
            disposition = "signposted"
        elif urgent:
            disposition = "urgent"
        elif not assisted and service.workflow and rng.random() < self_serve_rate:
            disposition = "self_served"
        else:
            disposition = "escalated"
        reference = self.new_reference()
        authority = routed.authority_code
        adviser = self._adviser(authority or self.hub.code) if assisted else None
        steps = list(routed.explanation)
        steps.append("Logged by an adviser during the contact." if assisted else f"Disposition: {disposition}.")

        case: dict[str, Any] = {
            "reference": reference, "channel": channel, "service_code": service.code, "authority_code": authority,
            "disposition": disposition, "status": "resolved", "priority": PRIORITIES[service.priority],
            "postcode": postcode, "location_text": location if "location" in service.needs else None,
            "summary": (subject or body)[:300], "routing_explanation": routed.explain(),
            "workflow": service.workflow if disposition == "self_served" else None,
            "assigned_to_id": adviser, "sla_due_at": None, "first_response_at": None, "resolved_at": None,
            "closed_at": None, "self_served": disposition == "self_served",
            "details": {"repeat_of": repeat_of} if repeat_of else {},
            "created_at": created, "updated_at": created,
        }
        if urgent:
            case["priority"] = PRIORITIES["urgent"]
        plan = Plan(case, citizen)
        actor = f"user:{adviser}" if adviser else "citizen"
        self._message(plan, "inbound", created, body, subject=subject, person=person, author=adviser)
        plan.events.append(self._event(created, "received", actor, adviser, data={"channel": channel}))
        triaged_at = created + dt.timedelta(seconds=rng.uniform(40, 120) if assisted else rng.uniform(2, 20))
        confidence = 1.0 if assisted else round(rng.uniform(0.55, 0.98), 3)
        triage_data = {"disposition": disposition, "service": service.code, "authority": authority,
                       "confidence": confidence}
        transfer = (disposition == "escalated" and not assisted and authority != self.hub.code
                    and rng.random() < 0.02)
        if transfer:  # triage could not tell; the hub's advisers sent it on
            first_guess = self.services["general.enquiry"]
            triage_data.update(service=first_guess.code, authority=self.hub.code, confidence=round(rng.uniform(0.2, 0.4), 3))
        plan.events.append(self._event(triaged_at, "triaged", f"user:{adviser}" if adviser else "job:triage", adviser,
                                       reason=" ".join(steps), data=triage_data))
        case["triage"] = {**triage_data, "workflow": service.workflow, "explanation": steps,
                          "postcode": postcode, "needs": ["postcode"] if needs_info else [],
                          "safeguarding": service.code == "social_care.safeguarding"}

        reply_at = triaged_at + dt.timedelta(seconds=rng.uniform(3, 30))
        if disposition == "needs_info":
            case["status"] = "needs_info"
            if not assisted:
                self._message(plan, "outbound", reply_at, "To help with this we need your postcode. "
                              "Please reply with it.", person=person)
            return plan
        if disposition in ("signposted", "self_served"):
            case["resolved_at"] = (created + dt.timedelta(minutes=rng.uniform(3, 10))) if assisted else reply_at
            if assisted:
                plan.events.append(self._event(case["resolved_at"], "resolved", f"user:{adviser}", adviser,
                                               reason="Signposted during the contact."))
            else:
                text = (handling.signpost_reply(routed) if disposition == "signposted" else
                        handling.self_service_reply(doc, service, postcode, location, reference,
                                                    routed.authority.name if routed.authority else "", created, rng))
                self._message(plan, "outbound", reply_at, text, person=person)
            return plan

        life = handling.lifecycle(rng, self.cal, self.now, created, service, urgent=urgent, assisted=assisted)
        case.update(status=life.status, sla_due_at=life.sla_due_at, first_response_at=life.first_response_at,
                    resolved_at=life.resolved_at)
        if not assisted:
            self._message(plan, "outbound", reply_at,
                          handling.acknowledgement(doc, service, routed, reference, urgent=urgent), person=person)
            if transfer:
                self._transfer(plan, service, routed, reply_at, life.first_response_at)
            if life.assigned:
                self._work(plan, service, person, reply_at, life)
        if life.resolved_at is not None:
            who = case["assigned_to_id"]
            plan.events.append(self._event(life.resolved_at, "resolved", f"user:{who}", who))
            case["updated_at"] = life.resolved_at
        return plan

    def _transfer(self, plan: Plan, service: ServiceDef, routed: Any, after: dt.datetime,
                  before: dt.datetime | None) -> None:
        """Triage could not tell what this was; a hub adviser re-categorised it and sent it on."""
        at = after + (min(before or self.now, self.now) - after) * self.rng.uniform(0.1, 0.5)
        hub_adviser = self._adviser(self.hub.code)
        plan.events.append(self._event(
            at, "transferred", f"user:{hub_adviser}", hub_adviser,
            reason=f"Re-categorised by an adviser: this is '{service.name}', handled by {routed.authority.name}.",
            data={"from_service": "general.enquiry", "to_service": service.code,
                  "authority_from": self.hub.code, "authority_to": routed.authority_code}))

    def _work(self, plan: Plan, service: ServiceDef, person: dict[str, Any] | None, after: dt.datetime,
              life: handling.Handling) -> None:
        """An adviser picks the case up and, once they have, answers the citizen."""
        case = plan.case
        worker = self._adviser(case["authority_code"] or self.hub.code)
        case["assigned_to_id"] = worker
        picked = min(life.first_response_at or self.now, after + dt.timedelta(hours=self.rng.uniform(0.2, 6)))
        picked = max(picked, after)
        plan.events.append(self._event(picked, "assigned", f"user:{worker}", worker, data={"user_id": worker}))
        if life.first_response_at is not None:
            first_name = person["name"].split(" ")[0] if person else None
            self._message(plan, "outbound", life.first_response_at,
                          texts.adviser_reply(service.code, first_name), person=person, author=worker)
            plan.events.append(self._event(life.first_response_at, "replied", f"user:{worker}", worker))

    # -- rows -----------------------------------------------------------------------------
    def _message(self, plan: Plan, direction: str, at: dt.datetime, body: str, *, subject: str | None = None,
                 person: dict[str, Any] | None = None, author: int | None = None) -> None:
        channel = plan.case["channel"]
        address = None if channel == "face_to_face" else (person or {}).get("phone" if channel in ("sms", "phone") else "email")
        hub_address = self.hub_number if channel == "sms" else self.hub_email if channel == "email" else None
        provider_id = None
        if channel == "sms":
            provider_id = "SM" + provider_hex(self.rng)
        elif channel == "email":
            provider_id = f"<{provider_hex(self.rng)}@demo.example.org>"
        inbound = direction == "inbound"
        status = None if inbound else {"sms": "delivered", "email": "sent"}.get(channel, "posted")
        plan.messages.append({
            "direction": direction, "channel": channel, "sender": address if inbound else hub_address,
            "recipient": hub_address if inbound else address, "subject": subject, "body": body,
            "provider_id": provider_id, "delivery_status": status, "delivery_error": None,
            # A phone call or a visit is an adviser's note of the conversation, not a citizen's message.
            "public": channel not in ASSISTED, "author_id": author, "created_at": at,
        })

    @staticmethod
    def _event(at: dt.datetime, kind: str, actor: str, user_id: int | None, *, reason: str | None = None,
               data: dict[str, Any] | None = None) -> dict[str, Any]:
        return {"at": at, "kind": kind, "actor": actor, "user_id": user_id, "reason": reason, "data": data or {}}


def provider_hex(rng: random.Random) -> str:
    """A provider-style message id from the seeded generator, so reruns draw the same ids."""
    return f"{rng.getrandbits(128):032x}"
