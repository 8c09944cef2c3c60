"""The portal's journeys: which questions each asks, in order, and what they add up to.

One question per page where it helps a citizen on a small phone; the answers wait in the
signed session cookie until "Check your answers" submits them as one contact.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

BIN_LABELS = {"general": "General waste", "recycling": "Recycling", "garden": "Garden waste"}


@dataclass(frozen=True)
class Journey:
    name: str
    title: str
    service: str | None  # None: the citizen's words (or their choice) decide the service
    steps: tuple[str, ...]

    def next_step(self, step: str) -> str | None:
        index = self.steps.index(step)
        return self.steps[index + 1] if index + 1 < len(self.steps) else None

    def previous_step(self, step: str) -> str | None:
        index = self.steps.index(step)
        return self.steps[index - 1] if index > 0 else None


_STREET = ("location", "description", "contact", "check")
JOURNEYS = {j.name: j for j in (
    Journey("bin_day", "Find your bin collection day", "waste.bin_day", ("postcode",)),
    Journey("missed_bin", "Report a missed bin collection", "waste.missed_bin",
            ("postcode", "address", "bin_type", "contact", "check")),
    Journey("pothole", "Report a pothole", "roads.pothole", _STREET),
    Journey("street_light", "Report a street light fault", "roads.street_light", _STREET),
    Journey("fly_tipping", "Report fly-tipping", "environment.fly_tipping", _STREET),
    Journey("question", "Ask a question", None, ("question", "contact", "check")),
    Journey("other", "Contact us about something else", None, ("message", "contact", "check")),
)}

# What each step stores, in the order "Check your answers" lists them.
FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "postcode": (("postcode", "Postcode"),),
    "address": (("address", "Address"),),
    "bin_type": (("bin_type", "Bin"),),
    "location": (("postcode", "Postcode"), ("location", "Where it is")),
    "description": (("description", "Description"),),
    "question": (("question", "Your question"),),
    "message": (("message", "Your message"), ("postcode", "Postcode")),
    "contact": (("name", "Name"), ("email", "Email address"), ("phone", "Mobile phone number")),
}
REQUIRED = {"postcode": "postcode", "address": "address", "bin_type": "bin_type", "location": "location",
            "description": "description", "question": "question", "message": "message"}


def first_missing(journey: Journey, answers: dict[str, Any]) -> str | None:
    """The first step whose required answer is missing (someone jumped ahead or the session expired)."""
    for step in journey.steps:
        if step == "check":
            return None
        field = REQUIRED.get(step)
        if field and not answers.get(field):
            return step
        if step == "contact" and "contact_done" not in answers:
            return step
    return None


def summary(journey: Journey, answers: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(label, value, step to change it) rows for "Check your answers"."""
    rows = []
    for step in journey.steps:
        for field, label in FIELDS.get(step, ()):
            value = answers.get(field) or ""
            if field == "bin_type":
                value = BIN_LABELS.get(value, value)
            rows.append((label, value or "Not given", step))
    return rows


def contact_text(journey: Journey, answers: dict[str, Any]) -> tuple[str, str | None]:
    """The contact's text as triage and advisers will read it, and the place it is about."""
    pc = answers.get("postcode") or ""
    if journey.name == "bin_day":
        return f"When are my bins collected? My postcode is {pc}.", None
    if journey.name == "missed_bin":
        bin_word = BIN_LABELS.get(answers.get("bin_type", ""), "").lower()
        address = answers.get("address", "")
        return f"My {bin_word} bin was not collected. Address: {address}, {pc}.", f"{address}, {pc}"
    if journey.steps == _STREET:
        location = answers.get("location", "")
        return (f"{journey.title}: {answers.get('description', '')}\nLocation: {location}, {pc}",
                f"{location}, {pc}")
    if journey.name == "question":
        return answers.get("question", ""), None
    return answers.get("message", ""), None
