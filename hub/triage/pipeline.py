"""One triage pipeline for every channel: understand a contact and decide what happens.

Steps, each leaving a plain-language reason: normalise the text, look for safeguarding
concerns, classify the service, find the location, route to the responsible council,
check what the service needs, and decide the disposition. The pipeline reads but never
writes: `hub triage` runs it as a dry run, the triage job stores its decision.
"""
from __future__ import annotations

import datetime as dt
import importlib
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from hub.geo import postcodes
from hub.partnership.routing import Route, route, safeguarding_route
from hub.partnership.schema import AuthorityDef, PartnershipDoc, ServiceDef
from hub.triage.classify import Classifier
from hub.triage.text import normalise, strip_email

# Below this confidence the classifier's answer is a guess: the contact goes to the hub's triage
# queue instead. Chosen by cross-validation on the training set (see README "Triage accuracy").
MIN_CONFIDENCE = 0.2
SAFEGUARDING = "social_care.safeguarding"
# When the service classifier (or one part of the message) leans towards safeguarding this
# much but none of the dedicated checks agrees, no automated answer is given: an adviser reads
# it. It no longer raises a concern by itself: cross-validation found it caught no concern the
# dedicated checks missed, while causing a quarter of the false alarms (docs/decisions/0029).
SAFEGUARDING_LEAN = 0.5
DISPOSITIONS = ("self_served", "escalated", "urgent", "signposted", "needs_info")
# Where a citizen outside the partnership finds their own council (GOV.UK's postcode lookup).
FIND_YOUR_COUNCIL = "https://www.gov.uk/find-local-council"

# Emergencies no council service can answer: the citizen is told to ring 999 (or the gas
# emergency line) before anything else. Matched on normalised text ("isn't" -> "isnt") with
# word boundaries; deliberately a short list of unambiguous phrases (bare "smoke" or "flood"
# would catch bonfire nuisance and flood-defence questions).
EMERGENCY_PHRASES: tuple[tuple[str, str], ...] = (
    ("fire", r"\b(?:on fire|caught fire|house fire|kitchen fire|fire (?:in|at) (?:my|the|our|a)|fire spreading)\b"),
    ("smoke", r"\b(?:full of smoke|smoke (?:pouring|billowing)|thick smoke|smoke coming (?:in|into|out of) (?:my|the|our))\b"),
    ("gas", r"\b(?:gas leak|gas leaking|leaking gas|smell(?:s|ing)? (?:of )?gas|gas smell)\b"),
    # A person collapsing (a road or wall that "has collapsed" is a street report, urgent to its council).
    ("collapse", r"\b(?:(?:he|she|someone|somebody|person|man|woman|lady|boy|girl|child|baby|neighbour|mum|mom|dad|"
                 r"husband|wife|son|daughter|friend|partner|gentleman|pensioner)(?: has| had| just| has just)? "
                 r"collapsed|found (?:him|her|them) collapsed|not breathing|isnt breathing|stopped breathing|unconscious)\b"),
    ("flooding", r"\b(?:flood(?:ing|ed)? (?:into|in) (?:my|the|our) (?:house|home|flat)|(?:house|home|flat) is flooding"
                 r"|water (?:is )?(?:coming|pouring) into (?:my|the|our) (?:house|home|flat))\b"),
)
_EMERGENCY_RE = [(kind, re.compile(pattern)) for kind, pattern in EMERGENCY_PHRASES]
EMERGENCY_REPLY = ("If anyone is in danger, call 999 now (or the gas emergency line 0800 111 999 for gas); "
                   "the council cannot send help in an emergency.")


def emergency(text: str) -> str | None:
    """Which emergency the message describes (fire, smoke, gas, collapse, flooding), or None."""
    norm = normalise(text)
    return next((kind for kind, pattern in _EMERGENCY_RE if pattern.search(norm)), None)


@dataclass
class Contact:
    text: str
    channel: str = "web"
    postcode: str | None = None
    at: dt.datetime | None = None
    service: str | None = None  # when the citizen chose it (portal, SMS keyword, adviser)
    details: dict[str, Any] = field(default_factory=dict)  # answers to earlier questions


@dataclass
class Decision:
    service: str | None
    authority: str | None
    disposition: str
    confidence: float
    workflow: str | None
    reply: str
    explanation: list[str]
    postcode: str | None = None
    needs: list[str] = field(default_factory=list)
    safeguarding: bool = False
    urgent: bool = False
    signpost: dict[str, Any] | None = None
    routing: str | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "service": self.service, "authority": self.authority, "disposition": self.disposition,
            "confidence": round(self.confidence, 3), "workflow": self.workflow, "reply": self.reply,
            "explanation": self.explanation, "postcode": self.postcode, "needs": self.needs,
            "safeguarding": self.safeguarding, "urgent": self.urgent,
            **({"also": self.data["also"]} if self.data.get("also") else {}),
            **({"best_guess": self.data["best_guess"]} if self.data.get("best_guess") else {}),
            **({"safeguarding_lean": True} if self.data.get("safeguarding_lean") else {}),
        }


@dataclass
class WorkflowResult:
    """What a workflow says it can do for this contact."""

    disposition: str  # "self_served", "escalated", "needs_info" or "urgent"
    reply: str
    explanation: str
    needs: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


# A safeguarding check: (text, channel) -> a reason when a person may be at risk, else None.
SafeguardingCheck = Callable[[str, str | None], str | None]
# An urgency check: (text, channel) -> a reason when a report reads as urgent, else None.
UrgencyCheck = Callable[[str, str | None], str | None]


def urgent_term(service: ServiceDef, text: str) -> str | None:
    """The first of the service's configured urgent terms found in the message."""
    norm = f" {normalise(text)} "
    for term in service.urgent_terms:
        if f" {normalise(term)} " in norm:
            return term
    return None


def _workflow_module(name: str) -> Any:
    try:
        return importlib.import_module(f"workflows.{name}")
    except ImportError:
        return None


def _workflow(name: str) -> Callable[..., WorkflowResult] | None:
    return getattr(_workflow_module(name), "answer", None)


def train_workflows(doc: PartnershipDoc, items: list[dict[str, Any]]) -> dict[str, Any]:
    """What the partnership's workflows learn from the labelled training set.

    A workflow module may define `train(doc, items)`; what it returns is passed back to its
    `answer(..., trained=...)` (the FAQ workflow learns when an article answers a question).
    Workflows are plugins found by name, as for `answer`, so the hub never imports them.
    """
    trained = {}
    for name in sorted({svc.workflow for svc in doc.services if svc.workflow}):
        train = getattr(_workflow_module(name), "train", None)
        if train is not None:
            trained[name] = train(doc, items)
    return trained


def _ask_for(needs: list[str]) -> str:
    wanted = {"postcode": "your postcode", "address": "your address (house number and street)",
              "location": "where it is (a postcode, or the street and a nearby landmark)",
              "bin_type": "which bin it is (general waste, recycling or garden)"}
    parts = [wanted[n] for n in needs]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"To help with this we need {listed}. Please reply with it."


class Pipeline:
    """The decision logic; the models it uses are passed in (see `hub.triage.service.build_pipeline`)."""

    def __init__(self, doc: PartnershipDoc, classifier: Classifier,
                 safeguarding: list[SafeguardingCheck] | None = None, min_confidence: float = MIN_CONFIDENCE,
                 urgency: UrgencyCheck | None = None, trained: dict[str, Any] | None = None):
        self.doc = doc
        self.trained = trained or {}
        self.classifier = classifier
        self.safeguarding_checks = safeguarding or []
        self.min_confidence = min_confidence
        self.urgency = urgency

    def _urgent(self, service: ServiceDef, contact: Contact) -> str | None:
        """Why this report is urgent: a configured term, or the urgency model's reading."""
        term = urgent_term(service, contact.text)
        if term:
            return f"The message mentions '{term}', an urgent term for this service."
        if service.urgent_terms and self.urgency is not None:
            return self.urgency(contact.text, contact.channel)
        return None

    def safeguarding_concern(self, text: str, channel: str | None = None) -> str | None:
        """Why this text may mean someone is at risk (the first check that fires), or None."""
        for check in self.safeguarding_checks:
            reason = check(text, channel)
            if reason:
                return reason
        return None

    def decide(self, contact: Contact) -> Decision:
        steps: list[str] = []
        at = contact.at or dt.datetime.now(dt.timezone.utc)
        if contact.channel == "email" and strip_email(contact.text) != contact.text.strip():
            steps.append("Read the citizen's own words: quoted earlier emails and the signature were set aside "
                         "for classification (safeguarding checks read everything).")

        # 1. Location: an explicit postcode wins over one found in the text.
        postcode = postcodes.normalise(contact.postcode) if contact.postcode else None
        if contact.postcode and postcode is None:
            steps.append(f"The postcode given ('{contact.postcode}') is not a valid UK postcode.")
        if postcode is None:
            postcode = postcodes.find(contact.text)
            if postcode:
                steps.append(f"Found the postcode {postcode} in the message.")

        # 2. Safeguarding before anything else: a person at risk is never auto-answered.
        reason = self.safeguarding_concern(contact.text, contact.channel)
        if reason:
            return self._with_emergency(self._safeguarding(reason, postcode, steps), contact.text)
        return self._with_emergency(self._decide_request(contact, postcode, at, steps), contact.text)

    def _decide_request(self, contact: Contact, postcode: str | None, at: dt.datetime, steps: list[str]) -> Decision:
        doc = self.doc

        # 3. Service: chosen by the citizen, or classified from the text.
        also: tuple[str, float, str] | None = None
        leaning = False  # towards safeguarding, without a dedicated check agreeing
        chosen = doc.service(contact.service) if contact.service else None
        if chosen is not None:
            service, confidence = chosen, 1.0
            steps.append(f"The citizen chose the service '{service.name}'.")
        else:
            pred = self.classifier.predict(contact.text, contact.channel)
            best, confidence = pred.service, pred.confidence
            if best == SAFEGUARDING:
                # The dedicated checks above found nothing: the classifier's next choice is the
                # request (noted, so an adviser can see the hesitation).
                best, confidence = next(((code, p) for code, p in pred.ranked if code != SAFEGUARDING), (None, 0.0))
                steps.append(f"The service classifier leaned towards safeguarding ({pred.confidence:.2f}) "
                             "but no safeguarding check agreed.")
                leaning = pred.confidence >= SAFEGUARDING_LEAN
            service = doc.service(best) if best else None
            if service is None or confidence < self.min_confidence:
                hub = doc.triage_authority
                guess = f" (best guess '{best}' at {confidence:.2f})" if best else ""
                steps.append(f"Could not tell which service this is about with enough confidence{guess}; "
                             f"it goes to {hub.name}'s triage queue rather than a guess.")
                return Decision(None, hub.code, "escalated", confidence, None,
                                "Thank you. An adviser will read your message and reply.", steps, postcode=postcode,
                                data={"best_guess": best} if best else {})
            steps.append(f"Classified as '{service.name}' ({service.code}) with confidence {confidence:.2f}.")
            also = pred.also
            if also is not None and also[0] == SAFEGUARDING:
                steps.append(f"One part of the message leaned towards safeguarding (\"{also[2]}\", {also[1]:.2f}) "
                             "but no safeguarding check agreed.")
                leaning = leaning or also[1] >= SAFEGUARDING_LEAN
                also = None
        if service.code == SAFEGUARDING:
            return self._safeguarding("the citizen chose the safeguarding service", postcode, steps)
        decision = self._decide_service(contact, service, confidence, postcode, at, steps, leaning=leaning)
        if also is not None:
            self._mention_second_topic(decision, also)
        return decision

    def _decide_service(self, contact: Contact, service: ServiceDef, confidence: float, postcode: str | None,
                        at: dt.datetime, steps: list[str], leaning: bool = False) -> Decision:
        doc = self.doc
        term = self._urgent(service, contact)
        routed: Route = route(doc, service, postcode)
        steps.extend(routed.explanation)
        base = dict(service=service.code, confidence=confidence, workflow=service.workflow,
                    postcode=postcode, routing=routed.explain())

        if routed.authority is None and term:
            hub = doc.triage_authority
            steps.append(f"{term} The place is unknown, so {hub.name} handles it now.")
            return Decision(authority=hub.code, disposition="urgent", urgent=True,
                            reply="Thank you. This has been passed to an adviser as urgent.",
                            explanation=steps, **base)
        if leaning and not term:
            # A message that reads a little like a person at risk gets a person: not a signpost,
            # not an automated question, not an automated answer (docs/decisions/0029).
            to = routed.authority if routed.authority is not None and routed.partner else doc.triage_authority
            steps.append(f"It leaned towards safeguarding, so {to.name}'s advisers read it rather than an "
                         "automated reply.")
            return self._escalated(to, service, steps, base, data={"safeguarding_lean": True})
        if routed.missing == "unknown_sector":
            assert postcode is not None
            return self._outside_area(service, postcode, base, steps)
        if routed.authority is None and service.needs:
            needs = ["location"] if "location" in service.needs else ["postcode"]
            steps.append(f"Asking the citizen for {needs[0]}.")
            return Decision(authority=None, disposition="needs_info", reply=_ask_for(needs),
                            explanation=steps, needs=needs, **base)
        if routed.authority is None:
            steps.append("This service needs no postcode: it is answered the same everywhere.")

        if term:
            steps.append(term)
            assert routed.authority is not None
            if not routed.partner:
                # The hub cannot put it in a non-partner council's queue: it stays urgent on the
                # hub's record (for the triage advisers to follow up) and the citizen is told to
                # ring that council today (docs/decisions/0012).
                steps.append(f"{routed.authority.name} is not a partner: the citizen is told to contact it today.")
                return Decision(authority=routed.authority_code, disposition="urgent", urgent=True,
                                reply=self._signpost_reply(routed, urgent=True), explanation=steps,
                                signpost=routed.signpost, **base)
            return Decision(authority=routed.authority_code, disposition="urgent", urgent=True,
                            reply=f"Thank you. This has been passed to {routed.authority.name} as urgent.",
                            explanation=steps, **base)

        if routed.authority is not None and not routed.partner:
            return Decision(authority=routed.authority_code, disposition="signposted",
                            reply=self._signpost_reply(routed), explanation=steps, signpost=routed.signpost, **base)

        # Self-service where a workflow can finish it.
        escalate_to = routed.authority or doc.triage_authority
        if service.workflow:
            answer = _workflow(service.workflow)
            if answer is not None:
                learnt = {"trained": self.trained[service.workflow]} if service.workflow in self.trained else {}
                result = answer(doc=doc, service=service, contact=contact, postcode=postcode, route=routed, at=at,
                                **learnt)
                steps.append(result.explanation)
                authority = routed.authority_code
                if authority is None and result.disposition in ("escalated", "urgent"):
                    authority = escalate_to.code
                    steps.append(f"With no postcode, {escalate_to.name} handles it.")
                return Decision(authority=authority, disposition=result.disposition,
                                reply=result.reply, explanation=steps, needs=result.needs,
                                urgent=result.disposition == "urgent", data=result.data, **base)
            steps.append(f"The {service.workflow} workflow is not available, so an adviser will handle it.")

        steps.append(f"No automated answer: escalated to {escalate_to.name}'s advisers.")
        return self._escalated(escalate_to, service, steps, base)

    @staticmethod
    def _escalated(to: AuthorityDef, service: ServiceDef, steps: list[str], base: dict[str, Any],
                   data: dict[str, Any] | None = None) -> Decision:
        return Decision(authority=to.code, disposition="escalated", explanation=steps, data=data or {},
                        reply=f"Thank you. {to.name} will reply within {service.sla.hours} working hours.", **base)

    def _outside_area(self, service: ServiceDef, postcode: str, base: dict[str, Any], steps: list[str]) -> Decision:
        """A valid postcode in no sector the partnership knows (docs/decisions/0023).

        Asking for the postcode again would loop: the citizen is told plainly. When other
        sectors of the same postcode district are ours, the sector is more likely a gap in
        the partnership's map (a new estate) than another council, so an adviser checks it;
        otherwise the citizen is pointed to GOV.UK to find their own council.
        """
        outward = postcode.split(" ")[0]
        hub = self.doc.triage_authority
        if any(sector.split(" ")[0] == outward for sector in self.doc.postcode_sectors):
            steps.append(f"Other sectors of {outward} are in the partnership's area, so {postcode} may still be "
                         f"ours: {hub.name}'s advisers check which council it is.")
            return Decision(authority=hub.code, disposition="escalated", explanation=steps,
                            reply=f"Thank you. We could not match {postcode} to a council automatically, so an "
                                  f"adviser will check it and reply within {service.sla.hours} working hours.", **base)
        councils = ", ".join(a.name for a in self.doc.authorities if a.partner and a.code != hub.code)
        steps.append(f"{postcode} is outside the councils this hub serves: the citizen is told to contact "
                     f"their own council ({FIND_YOUR_COUNCIL}).")
        return Decision(authority=None, disposition="signposted", explanation=steps,
                        signpost={"code": None, "name": "your local council", "phone": None, "web": FIND_YOUR_COUNCIL},
                        reply=f"{postcode} is outside the councils this hub serves ({councils}). If that is where "
                              f"you mean, please contact your own council: find it at {FIND_YOUR_COUNCIL}. If the "
                              f"postcode is wrong, please send your message again with the right one.", **base)

    def _with_emergency(self, decision: Decision, text: str) -> Decision:
        """A fire, gas leak, collapse or flooding: 999 first, and an adviser follows up urgently.

        The council's own answer (a workflow's reply, a question) would waste time, so it is
        replaced; nothing is logged by a workflow. The case goes to the responsible council
        when it is a partner, otherwise to the hub's triage advisers (docs/decisions/0023).
        """
        kind = emergency(text)
        if kind is None:
            return decision
        if decision.safeguarding:
            decision.explanation.append(f"The message describes an emergency ({kind}): the citizen is told to call "
                                        "999 first.")
            decision.reply = f"{EMERGENCY_REPLY} {decision.reply}"
            return decision
        owner = self.doc.authority(decision.authority) if decision.authority else None
        if owner is None or not owner.partner:
            owner = self.doc.triage_authority
        decision.explanation.append(f"The message describes an emergency ({kind}): the citizen is told to call 999 "
                                    f"first, and {owner.name} follows up as urgent.")
        decision.reply = f"{EMERGENCY_REPLY} We have also passed your message to {owner.name} as urgent."
        decision.authority, decision.disposition, decision.urgent = owner.code, "urgent", True
        decision.needs, decision.signpost = [], None
        decision.data = {k: v for k, v in decision.data.items() if k not in ("effect", "case")}  # no report
        return decision

    def _safeguarding(self, reason: str, postcode: str | None, steps: list[str]) -> Decision:
        steps.append(f"Safeguarding concern: {reason}. No automated answer is given.")
        routed = safeguarding_route(self.doc, postcode)
        steps.extend(routed.explanation)
        return Decision("social_care.safeguarding", routed.authority_code, "urgent", 1.0, None,
                        self.doc.safeguarding.reply, steps, postcode=postcode, safeguarding=True,
                        urgent=True, routing=routed.explain())

    def _mention_second_topic(self, decision: Decision, also: tuple[str, float, str]) -> None:
        """Two topics in one message: the main one is handled, the other is named, not lost."""
        code, confidence, words = also
        other = self.doc.service(code)
        if other is None or code == decision.service:
            return
        decision.explanation.append(f"The message also seems to be about '{other.name}' ({code}, "
                                    f"confidence {confidence:.2f}: \"{words}\"); that part is not handled here.")
        decision.data["also"] = code
        if decision.disposition in ("self_served", "needs_info", "signposted"):
            decision.reply += f" You also mentioned something about {other.name.lower()}: please send that " \
                              "as a separate message so it reaches the right team."

    @staticmethod
    def _signpost_reply(routed: Route, urgent: bool = False) -> str:
        auth = routed.authority
        assert auth is not None
        how = " or ".join(x for x in [f"call {auth.phone}" if auth.phone else "", f"visit {auth.web}" if auth.web else ""] if x)
        lead = "Please contact them today: " if urgent else "Please contact them directly: "
        return f"This is handled by {auth.name}, which is not part of this hub. {lead}{how}."
