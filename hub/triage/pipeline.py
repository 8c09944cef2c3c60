"""One triage pipeline for every channel: understand a contact and decide what happens.

Steps, each leaving a plain-language reason: normalise the text, look for safeguarding
concerns, classify the service, find the location, route to the responsible council,
check what the service needs, and decide the disposition. The pipeline reads but never
writes: `hub triage` runs it as a dry run, the triage job stores its decision.
"""
from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass, field
from typing import Any, Callable

from hub.geo import postcodes
from hub.partnership.routing import Route, route, safeguarding_route
from hub.partnership.schema import PartnershipDoc, ServiceDef
from hub.triage.classify import Classifier
from hub.triage.text import normalise, strip_email

MIN_CONFIDENCE = 0.35
DISPOSITIONS = ("self_served", "escalated", "urgent", "signposted", "needs_info")


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
            "safeguarding": self.safeguarding,
        }


@dataclass
class WorkflowResult:
    """What a workflow says it can do for this contact."""

    disposition: str  # "self_served", "escalated", "needs_info" or "urgent"
    reply: str
    explanation: str
    needs: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


SafeguardingCheck = Callable[[PartnershipDoc, str], str | None]


def keyword_safeguarding(doc: PartnershipDoc, text: str) -> str | None:
    """The configured terms; a reason string when one is present."""
    norm = f" {normalise(text)} "
    for term in doc.safeguarding.terms:
        if f" {normalise(term)} " in norm:
            return f"it contains the safeguarding term '{term}'"
    return None


def urgent_term(service: ServiceDef, text: str) -> str | None:
    norm = f" {normalise(text)} "
    for term in service.urgent_terms:
        if f" {normalise(term)} " in norm:
            return term
    return None


def _workflow(name: str) -> Callable[..., WorkflowResult] | None:
    try:
        module = importlib.import_module(f"workflows.{name}")
    except ImportError:
        return None
    return getattr(module, "answer", None)


def _ask_for(needs: list[str]) -> str:
    wanted = {"postcode": "your postcode", "address": "your address (house number and street)",
              "location": "where it is (a postcode, or the street and a nearby landmark)",
              "bin_type": "which bin it is (general waste, recycling or garden)"}
    parts = [wanted[n] for n in needs]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"To help with this we need {listed}. Please reply with it."


class Pipeline:
    def __init__(self, doc: PartnershipDoc, classifier: Classifier,
                 safeguarding: list[SafeguardingCheck] | None = None):
        self.doc = doc
        self.classifier = classifier
        self.safeguarding_checks = safeguarding or [keyword_safeguarding]

    def decide(self, contact: Contact) -> Decision:
        doc, steps = self.doc, []
        text = strip_email(contact.text) if contact.channel == "email" else contact.text
        at = contact.at or dt.datetime.now(dt.timezone.utc)

        # 1. Location: an explicit postcode wins over one found in the text.
        postcode = postcodes.normalise(contact.postcode) if contact.postcode else None
        if contact.postcode and postcode is None:
            steps.append(f"The postcode given ('{contact.postcode}') is not a valid UK postcode.")
        if postcode is None:
            postcode = postcodes.find(contact.text)
            if postcode:
                steps.append(f"Found the postcode {postcode} in the message.")

        # 2. Safeguarding before anything else: a person at risk is never auto-answered.
        for check in self.safeguarding_checks:
            reason = check(doc, contact.text)
            if reason:
                steps.append(f"Safeguarding concern: {reason}.")
                routed = safeguarding_route(doc, postcode)
                steps.extend(routed.explanation)
                return Decision("social_care.safeguarding", routed.authority_code, "urgent", 1.0, None,
                                doc.safeguarding.reply, steps, postcode=postcode, safeguarding=True,
                                urgent=True, routing=routed.explain())

        # 3. Service: chosen by the citizen, or classified from the text.
        if contact.service and doc.service(contact.service):
            service, confidence = doc.service(contact.service), 1.0
            steps.append(f"The citizen chose the service '{service.name}'.")
        else:
            pred = self.classifier.predict(text)
            service = doc.service(pred.service) if pred.service else None
            confidence = pred.confidence
            if service is None or confidence < MIN_CONFIDENCE:
                hub = doc.triage_authority
                guess = f" (best guess '{pred.service}' at {confidence:.2f})" if pred.service else ""
                steps.append(f"Could not tell which service this is about with enough confidence{guess}; "
                             f"it goes to {hub.name}'s triage queue.")
                return Decision(None, hub.code, "escalated", confidence, None,
                                "Thank you. An adviser will read your message and reply.", steps, postcode=postcode)
            steps.append(f"Classified as '{service.name}' ({service.code}) with confidence {confidence:.2f}.")

        # 4. Urgent terms of that service.
        term = urgent_term(service, contact.text)

        # 5. Route.
        routed: Route = route(doc, service, postcode)
        steps.extend(routed.explanation)
        base = dict(service=service.code, confidence=confidence, workflow=service.workflow,
                    postcode=postcode, routing=routed.explain())

        if routed.authority is None:
            needs = ["location"] if "location" in service.needs else ["postcode"]
            if term:
                hub = doc.triage_authority
                steps.append(f"Urgent ('{term}'), but the place is unknown: {hub.name} handles it now.")
                return Decision(authority=hub.code, disposition="urgent", urgent=True,
                                reply="Thank you. This has been passed to an adviser as urgent.",
                                explanation=steps, **base)
            steps.append(f"Asking the citizen for {needs[0]}.")
            return Decision(authority=None, disposition="needs_info", reply=_ask_for(needs),
                            explanation=steps, needs=needs, **base)

        if term:
            steps.append(f"The message mentions '{term}', an urgent term for this service.")
            if not routed.partner:
                steps.append("The responsible council is not a partner, so the citizen is told to contact it now.")
                return Decision(authority=routed.authority_code, disposition="signposted", urgent=True,
                                reply=self._signpost_reply(routed, urgent=True), explanation=steps,
                                signpost=routed.signpost, **base)
            return Decision(authority=routed.authority_code, disposition="urgent", urgent=True,
                            reply=f"Thank you. This has been passed to {routed.authority.name} as urgent.",
                            explanation=steps, **base)

        if not routed.partner:
            return Decision(authority=routed.authority_code, disposition="signposted",
                            reply=self._signpost_reply(routed), explanation=steps, signpost=routed.signpost, **base)

        # 6. Self-service where a workflow can finish it.
        if service.workflow:
            answer = _workflow(service.workflow)
            if answer is not None:
                result = answer(doc=doc, service=service, contact=contact, postcode=postcode, route=routed, at=at)
                steps.append(result.explanation)
                return Decision(authority=routed.authority_code, disposition=result.disposition,
                                reply=result.reply, explanation=steps, needs=result.needs,
                                urgent=result.disposition == "urgent", data=result.data, **base)
            steps.append(f"The {service.workflow} workflow is not available, so an adviser will handle it.")

        steps.append(f"No automated answer: escalated to {routed.authority.name}'s advisers.")
        return Decision(authority=routed.authority_code, disposition="escalated",
                        reply=f"Thank you. {routed.authority.name} will reply within {service.sla.hours} working hours.",
                        explanation=steps, **base)

    @staticmethod
    def _signpost_reply(routed: Route, urgent: bool = False) -> str:
        auth = routed.authority
        assert auth is not None
        how = " or ".join(x for x in [f"call {auth.phone}" if auth.phone else "", f"visit {auth.web}" if auth.web else ""] if x)
        lead = "Please contact them today: " if urgent else "Please contact them directly: "
        return f"This is handled by {auth.name}, which is not part of this hub. {lead}{how}."
