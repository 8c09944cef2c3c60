"""UK postcodes: normalise, validate, find in free text, and derive the sector.

Routing works on the *sector* (outward code, space, first digit of the inward code:
"WR14 3AB" is in "WR14 3"), which is how the partnership file maps places to councils.
"""
from __future__ import annotations

import re

_OUTWARD = r"(?:[A-Z]{1,2}[0-9][A-Z0-9]?|GIR)"
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
POSTCODE_RE = re.compile(rf"^({_OUTWARD}) ?({_INWARD})$")
SECTOR_RE = re.compile(rf"{_OUTWARD} [0-9]")
# In text: word boundaries, any case, optional space (people type "wr143ab" and "WR14  3AB").
_IN_TEXT_RE = re.compile(rf"(?<![A-Za-z0-9])({_OUTWARD})\s{{0,2}}({_INWARD})(?![A-Za-z0-9])", re.IGNORECASE)
# An outward code followed by a sector digit only ("WR14 3"): not a full postcode.
_OUTWARD_ONLY_RE = re.compile(rf"^{_OUTWARD}$")


def normalise(text: str | None) -> str | None:
    """Return the postcode in its canonical form ("WR14 3AB"), or None when it is not one."""
    if not text:
        return None
    parts = text.split()
    # Typed with a space, the inward code is what follows it: "WR14 AB" (a digit missing) is
    # not a postcode, where re-splitting the letters would make it "WR1 4AB", another council.
    if len(parts) > 1 and len(parts[-1]) != 3:
        return None
    compact = "".join(parts).upper()
    if len(compact) < 5 or len(compact) > 7:
        return None
    match = POSTCODE_RE.fullmatch(f"{compact[:-3]} {compact[-3:]}")
    if not match:
        return None
    return f"{match.group(1)} {match.group(2)}"


def is_valid(text: str | None) -> bool:
    return normalise(text) is not None


def sector(postcode: str) -> str:
    """The sector of a canonical postcode ("WR14 3AB" -> "WR14 3")."""
    canonical = normalise(postcode)
    if canonical is None:
        raise ValueError(f"not a postcode: {postcode!r}")
    outward, inward = canonical.split(" ")
    return f"{outward} {inward[0]}"


def find_all(text: str) -> list[str]:
    """Every postcode found in free text, canonical, in order, without repeats."""
    found: list[str] = []
    for match in _IN_TEXT_RE.finditer(text or ""):
        canonical = normalise(match.group(1) + match.group(2))
        if canonical and canonical not in found:
            found.append(canonical)
    return found


def find(text: str) -> str | None:
    """The first postcode in free text, canonical, or None."""
    found = find_all(text)
    return found[0] if found else None


def looks_like_outward(text: str) -> bool:
    return bool(_OUTWARD_ONLY_RE.fullmatch(text.strip().upper()))
