"""The partnership's services as citizens look for them: by the words they use.

Search matches the service names and the partnership's examples ("my bin wasn't emptied"),
so people find "Report a missed bin collection" without knowing what the council calls it.
Each service says who is responsible and what will happen, and which journey starts it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from hub.partnership.schema import PartnershipDoc, ServiceDef

# Services with their own journey; the others start "ask a question" (knowledge-base
# answers) or "contact us about something else" with the service already chosen.
JOURNEY_FOR = {
    "waste.bin_day": "bin_day",
    "waste.missed_bin": "missed_bin",
    "roads.pothole": "pothole",
    "roads.street_light": "street_light",
    "environment.fly_tipping": "fly_tipping",
}
_STOP = {"a", "an", "the", "my", "i", "to", "of", "on", "in", "for", "is", "it", "and", "or", "how", "do",
         "what", "when", "can", "me", "our", "we", "at", "by", "with", "be", "been", "has", "have", "need"}


@dataclass(frozen=True)
class ServicePage:
    service: ServiceDef
    journey: str
    responsible: str
    what_happens: str
    urgent: bool


def _words(text: str) -> set[str]:
    found = set()
    for word in re.findall(r"[a-z0-9]+", text.lower()):
        if word in _STOP or len(word) < 2:
            continue
        found.add(word[:-1] if len(word) > 4 and word.endswith("s") else word)
    return found


def journey_for(service: ServiceDef) -> str:
    if service.code in JOURNEY_FOR:
        return JOURNEY_FOR[service.code]
    return "question" if service.workflow == "faq" else "other"


def search(doc: PartnershipDoc, query: str, limit: int = 8) -> list[ServiceDef]:
    """Services ranked by how many of the query's words their name and examples share."""
    wanted = _words(query)
    if not wanted:
        return []
    scored = []
    for index, service in enumerate(doc.services):
        name_words = _words(service.name)
        example_words = _words(" ".join(service.examples))
        score = 2 * len(wanted & name_words) + len(wanted & example_words)
        if score:
            scored.append((-score, index, service))
    return [service for _, _, service in sorted(scored)[:limit]]


def _responsible(doc: PartnershipDoc, service: ServiceDef) -> str:
    if service.tier == "partnership":
        return f"{doc.triage_authority.name} handles this for all the councils in the partnership."
    if service.tier == "county":
        counties = [a.name for a in doc.authorities if a.tier == "county"]
        return (f"{' and '.join(counties)} is responsible for this. We use your postcode to check, "
                "and tell you who to contact if you live outside our area.")
    partners = [a.name for a in doc.authorities if a.tier == "district" and a.partner]
    others = [a.name for a in doc.authorities if a.tier in ("district", "unitary") and not a.partner]
    text = f"Your district council is responsible for this: {', '.join(partners)} in this partnership."
    if others:
        text += (f" If you live in another council's area ({', '.join(others)}), we will tell you how to "
                 "contact them.")
    return text


def _what_happens(service: ServiceDef) -> str:
    hours = service.sla.hours
    if service.workflow == "bin_day":
        return "Enter your postcode and you will see your next collection days straight away."
    if service.workflow == "missed_bin":
        return ("Tell us your address and which bin was missed. We check it against your collection day and "
                "pass it to the crew, and give you a reference.")
    if service.workflow == "street_report":
        return ("Tell us where the problem is and describe it. We log it with the team that fixes it, tell you "
                "if it has already been reported, and give you a reference.")
    if service.workflow == "faq":
        return ("Ask your question. If our guides answer it you will see the answer straight away; "
                f"if not, an adviser replies within {hours} working hours.")
    return f"Tell us what you need. An adviser from the responsible council replies within {hours} working hours."


def page(doc: PartnershipDoc, code: str) -> ServicePage | None:
    service = doc.service(code)
    if service is None:
        return None
    return ServicePage(service, journey_for(service), _responsible(doc, service), _what_happens(service),
                       urgent=service.priority == "urgent")
