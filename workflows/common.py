"""What the self-service workflows share: reading the citizen's words, the waste rules, local time.

Extraction is deliberately conservative: a house number and street, a bin colour or a
landmark is taken only when the words are clearly there, because a wrong address on a
missed-bin report sends a crew to the wrong house. When in doubt a workflow asks.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

from flask import has_app_context

from hub.geo import postcodes
from hub.partnership.schema import PartnershipDoc
from hub.triage.text import normalise
from workflows.schedule import GARDEN, GENERAL, RECYCLING, Round, WasteRules

_DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_SHORT_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
BIN_LABELS = {GENERAL: "general waste", RECYCLING: "recycling", GARDEN: "garden waste"}

# Words residents use for each bin (the demo councils' colours: black/grey general waste,
# blue recycling, green/brown garden waste).
_BIN_WORDS = {
    GENERAL: ("general", "black", "grey", "gray", "rubbish", "refuse", "landfill", "household waste",
              "normal bin", "wheelie bin"),
    RECYCLING: ("recycling", "recycle", "recyclable", "blue"),
    GARDEN: ("garden", "green", "brown", "grass cuttings"),
}
_BIN_RE = {kind: re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b")
           for kind, words in _BIN_WORDS.items()}

STREET_TYPES = {
    "street": "street", "st": "street", "road": "road", "rd": "road", "lane": "lane", "ln": "lane",
    "avenue": "avenue", "ave": "avenue", "close": "close", "cl": "close", "drive": "drive", "dr": "drive",
    "way": "way", "place": "place", "crescent": "crescent", "cres": "crescent", "terrace": "terrace",
    "grove": "grove", "gardens": "gardens", "walk": "walk", "court": "court", "square": "square",
    "hill": "hill", "row": "row", "mews": "mews", "rise": "rise", "green": "green", "parade": "parade",
    "meadow": "meadow", "park": "park", "view": "view", "croft": "croft", "end": "end",
}
_STREET_WORD = r"[A-Za-z][A-Za-z'\-]*"
_STREET_TYPE = "|".join(sorted(STREET_TYPES, key=len, reverse=True))
# "12 Elm Road", "12a, Elm Road", "flat 3 12 Elm Rd" (house number, one to three words, a street type).
_ADDRESS_RE = re.compile(
    rf"(?<![\w:.])(\d{{1,4}}[a-zA-Z]?)\s*,?\s+((?:{_STREET_WORD}\s+){{1,3}}?(?:{_STREET_TYPE}))\b\.?",
    re.IGNORECASE)
# Words that end a street name when reading backwards from "Street"/"Road" ("pothole on church st").
_NOT_STREET_NAME = {"pothole", "potholes", "hole", "light", "lights", "lamp", "post", "tipped", "tipping", "dumped",
                    "rubbish", "massive", "huge", "big", "theres", "there", "outside", "road", "street", "lane",
                    "broken", "out", "flickering", "side", "near", "junction", "corner"}
# A landmark: "outside the school", "near the Co-op", "opposite St John's church".
_LANDMARK_RE = re.compile(
    r"\b(outside|opposite|near|nearby|next to|by|behind|in front of|at the end of|junction with|corner of)"
    r"\s+((?:the\s+)?[A-Za-z0-9'\-]+(?:\s+[A-Za-z0-9'\-]+){0,4})", re.IGNORECASE)
_LEADING_WORDS = {"on", "in", "at", "the", "my", "our", "of", "along", "down", "up", "outside", "near", "by",
                  "opposite", "from", "to", "and", "is", "has", "been", "a", "an", "live", "i", "we",
                  "missed", "bin", "bins", "collection", "again", "was", "not", "emptied", "today"}
_STOP_AFTER = re.compile(r"\b(and|but|since|because|which|that|it|its|it's|is|has|was|for|with|wr\d+|please)\b.*$",
                         re.IGNORECASE)


def bin_types(text: str, details: dict[str, Any] | None = None) -> list[str]:
    """The bins the citizen mentions, in the order they mention them (an answer given earlier first)."""
    found: list[tuple[int, str]] = []
    norm = normalise(text)
    for kind, pattern in _BIN_RE.items():
        match = pattern.search(norm)
        if match:
            found.append((match.start(), kind))
    kinds = [kind for _, kind in sorted(found)]
    earlier = (details or {}).get("bin_type")
    if earlier in BIN_LABELS:
        kinds = [earlier] + [k for k in kinds if k != earlier]
    return kinds


def _tidy_street(words: str) -> str:
    parts = words.split()
    while parts and parts[0].lower() in _LEADING_WORDS:
        parts.pop(0)
    if not parts:
        return ""
    *name, kind = parts
    kind = STREET_TYPES.get(kind.lower().rstrip("."), kind)
    return " ".join([w if w.isupper() and len(w) > 1 else w.capitalize() for w in name] + [kind.capitalize()])


def address(text: str, details: dict[str, Any] | None = None) -> str | None:
    """A house number and street ("12 Elm Road"), or None when the message has none."""
    if (details or {}).get("address"):
        return str(details["address"])  # type: ignore[index]
    for match in _ADDRESS_RE.finditer(text or ""):
        street = _tidy_street(match.group(2))
        if street and len(street.split()) >= 2:
            return f"{match.group(1).upper()} {street}"
    return None


def address_key(addr: str, postcode: str | None) -> str:
    """The same house however it is typed: '12 elm road|WR14 3AB'."""
    words = [STREET_TYPES.get(w, w) for w in normalise(addr).split()]
    return f"{' '.join(words)}|{postcode or ''}"


def street_location(text: str, details: dict[str, Any] | None = None) -> str | None:
    """Where a street problem is, in the citizen's words: a street and/or a landmark."""
    if (details or {}).get("location_text"):
        return str(details["location_text"])  # type: ignore[index]
    text = text or ""
    parts: list[str] = []
    addr = None
    for match in _ADDRESS_RE.finditer(text):
        street = _tidy_street(match.group(2))
        if street and len(street.split()) >= 2:
            addr = f"{match.group(1).upper()} {street}"
            break
    if addr:
        parts.append(addr)
    else:
        street = _street_only(text)
        if street:
            parts.append(street)
    landmark = _LANDMARK_RE.search(text)
    if landmark:
        place = _STOP_AFTER.sub("", landmark.group(2)).strip(" ,.")
        place = re.sub(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", "", place, flags=re.IGNORECASE).strip(" ,.")
        if place and not any(place.lower() in p.lower() for p in parts):
            parts.append(f"{landmark.group(1).lower()} {place}")
    return ", ".join(parts)[:300] if parts else None


def _street_only(text: str) -> str | None:
    """A street named without a house number: up to three words before a street type."""
    tokens = re.findall(r"[A-Za-z][A-Za-z'\-]*\.?", text)
    for i, token in enumerate(tokens):
        if token.lower().rstrip(".") not in STREET_TYPES or i == 0:
            continue
        name: list[str] = []
        j = i - 1
        while j >= 0 and len(name) < 3 and tokens[j].lower() not in _LEADING_WORDS | _NOT_STREET_NAME:
            name.insert(0, tokens[j])
            j -= 1
        if name:
            return _tidy_street(" ".join(name + [token]))
    return None


def location_key(location: str | None) -> str:
    """The street of a location, however typed ("4 Church St, outside the Co-op" -> "church street").

    House numbers and landmarks are dropped: two reports on the same street in the same
    postcode sector are the same place for a pothole or a light.
    """
    street = (location or "").split(",")[0]
    if _LANDMARK_RE.match(street.strip()):
        return ""
    return " ".join(STREET_TYPES.get(w, w) for w in normalise(street).split() if not w[0].isdigit())


def waste_rules(doc: PartnershipDoc) -> WasteRules | None:
    """The partnership's collection rules as the pure schedule module wants them."""
    wc = doc.waste_collection
    if wc is None:
        return None
    days = {_DAYS[d] for d in doc.partnership.working_hours.days}
    return WasteRules(anchor=wc.anchor, crews_finish=wc.crews_finish,
                      missed_window_working_days=wc.missed_report_window_working_days,
                      bank_holidays=frozenset(doc.bank_holidays), working_days=frozenset(days))


def round_for(doc: PartnershipDoc, postcode: str | None) -> tuple[str | None, Round | None]:
    """The postcode's sector and its collection round (None when the sector has no round)."""
    if not postcode or doc.waste_collection is None or not postcodes.is_valid(postcode):
        return None, None
    sector = postcodes.sector(postcode)
    found = doc.waste_collection.rounds.get(sector)
    if found is None:
        return sector, None
    return sector, Round(day=_DAYS[found.day], cycle=found.cycle)


def local(doc: PartnershipDoc, at: dt.datetime | None) -> dt.datetime:
    """``at`` (aware; now when None) as naive wall-clock time in the partnership's time zone."""
    at = at or dt.datetime.now(dt.timezone.utc)
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.timezone.utc)
    return at.astimezone(ZoneInfo(doc.partnership.timezone)).replace(tzinfo=None)


def short_day(day: dt.date) -> str:
    """"Fri 4 Dec": short enough for a text message."""
    return f"{_SHORT_DAYS[day.weekday()]} {day.day} {_SHORT_MONTHS[day.month - 1]}"


def reference_text(details: dict[str, Any]) -> str:
    """" (ref ABCD-EFGH)" when the case exists; empty in a dry run."""
    ref = details.get("reference")
    return f" (ref {ref})" if ref else ""


def can_query() -> bool:
    """Workflows read the database only inside an app context (`hub triage` may run without one)."""
    return has_app_context()


def lock_place(service_code: str, place: str, reference: str | None) -> None:
    """Before looking for an earlier report of this service at this place: one decision at a time.

    Two reports of the same fault decided at the same instant would otherwise both find no
    earlier report and both be logged as the first. The lock (`hub.cases.queries.
    lock_report_place`) lasts until the triage job commits, and that commit stores the
    decision's place keys and link (`WorkflowResult.data["case"]`), so the next report of
    the place waits and then finds this one. Only for a stored case (``reference`` known):
    a dry run (`hub triage`) stores nothing, so it takes no lock.
    """
    if reference is None:  # callers have already checked can_query()
        return
    from hub.cases import queries

    queries.lock_report_place(service_code, place)


def link_duplicate(case: Any, original_id: int | None, *, actor: str, reason: str) -> Any | None:
    """Link a report to the earlier one it repeats (both cases keep a trace); the original, or None.

    One crew visit for one problem: the new case points at the first with `duplicate_of_id`,
    and the first gets a `duplicate_linked` event naming it.
    """
    if not original_id:
        return None
    from hub.cases import queries

    original = queries.get_case(original_id, lock=True)
    if original is None or original.id == case.id:
        return None
    case.duplicate_of_id = original.id
    queries.add_event(original, "duplicate_linked", actor=actor, reason=f"{case.reference} {reason}",
                      duplicate=case.reference)
    return original
