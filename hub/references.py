"""Case references that people can read out over the phone.

Eight characters from a 31-symbol alphabet with no 0/O or 1/I/L, shown as ``ABCD-EFGH``:
seven random symbols (31**7, about 27.5 billion, so references cannot be guessed or
enumerated) and one check symbol. The check is a weighted sum modulo 31 (a prime), which
catches every single mistyped symbol and every swap of two neighbouring symbols.
"""
from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
assert len(ALPHABET) == 31
_INDEX = {ch: i for i, ch in enumerate(ALPHABET)}
BODY_LENGTH = 7


def _check_symbol(body: str) -> str:
    total = sum((i + 2) * _INDEX[ch] for i, ch in enumerate(body))
    return ALPHABET[total % 31]


def _format(compact: str) -> str:
    return f"{compact[:4]}-{compact[4:]}"


def generate() -> str:
    """A new random reference such as ``K7MA-9QR3`` (uniqueness is the database's job)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return _format(body + _check_symbol(body))


def normalise(text: str | None) -> str | None:
    """Canonical form of a typed reference, or None when it is not a valid one.

    Tolerates case, spaces and dashes; refuses a wrong check symbol, so a mistyped
    reference is caught before anything is looked up.
    """
    if not text:
        return None
    compact = re.sub(r"[\s\-]", "", text).upper()
    if len(compact) != BODY_LENGTH + 1 or any(ch not in _INDEX for ch in compact):
        return None
    if _check_symbol(compact[:-1]) != compact[-1]:
        return None
    return _format(compact)


def is_valid(text: str | None) -> bool:
    return normalise(text) is not None


# A lookahead so that candidates may overlap ("case K7MA-9QR3": "CASE K7MA" is tried first).
REFERENCE_IN_TEXT_RE = re.compile(r"(?<![A-Za-z0-9])(?=([2-9A-HJKMNP-Z]{4})[\s-]?([2-9A-HJKMNP-Z]{4})(?![A-Za-z0-9]))", re.I)


def find(text: str) -> str | None:
    """A valid reference mentioned in free text (an email subject, an SMS), or None.

    Candidates overlap ("case K7MA-9QR3" also offers "CASE K7MA", which is valid one time in
    31): one written as we print references, with its dash, wins over one that is not.
    """
    found: list[tuple[bool, str]] = []
    for match in REFERENCE_IN_TEXT_RE.finditer(text or ""):
        ref = normalise(match.group(1) + match.group(2))
        if ref:
            dashed = text[match.start() + 4: match.start() + 5] == "-"
            found.append((dashed, ref))
    if not found:
        return None
    return next((ref for dashed, ref in found if dashed), found[0][1])
