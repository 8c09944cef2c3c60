"""What a text costs and how long it may be: GSM-7 or UCS-2 segments, and the 1,600 limit.

One segment carries 160 GSM-7 characters or 70 UCS-2 units; a longer text is split into
segments of 153 or 67 (the rest is the concatenation header), each billed. One character
outside GSM-7 (an en dash, a curly quote from a word processor) turns the whole text into
UCS-2 and more than doubles its cost, so replies swap those few lookalikes for plain ones.
Twilio refuses bodies over 1,600 characters.
"""
from __future__ import annotations

from dataclasses import dataclass

MAX_BODY = 1600
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Sent as an escape plus a character: two septets each.
GSM_EXTENDED = frozenset("^{}\\[~]|€\f")
# Lookalikes that would force UCS-2, with their GSM-7 stand-ins.
PLAIN = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                       "\u2014": "-", "\u2026": "...", "\u00a0": " ", "\u2022": "-"})
TRUNCATED = " [...]"


@dataclass(frozen=True)
class Segments:
    encoding: str  # "GSM-7" or "UCS-2"
    count: int
    units: int  # septets (GSM-7) or 16-bit units (UCS-2)


def is_gsm7(text: str) -> bool:
    return all(ch in GSM_BASIC or ch in GSM_EXTENDED for ch in text)


def _costs(text: str) -> tuple[str, list[int]]:
    if is_gsm7(text):
        return "GSM-7", [2 if ch in GSM_EXTENDED else 1 for ch in text]
    return "UCS-2", [2 if ord(ch) > 0xFFFF else 1 for ch in text]


def segments(text: str) -> Segments:
    """How many segments the text is billed as.

    A character is never split across two segments (an escape pair, a surrogate pair),
    which is why the count can exceed a plain division.
    """
    encoding, costs = _costs(text)
    single, part = (160, 153) if encoding == "GSM-7" else (70, 67)
    units = sum(costs)
    if units <= single:
        return Segments(encoding, 1 if text else 0, units)
    count, used = 1, 0
    for cost in costs:
        if used + cost > part:
            count, used = count + 1, 0
        used += cost
    return Segments(encoding, count, units)


def prepare(text: str, limit: int = MAX_BODY) -> str:
    """The body to send: lookalikes made plain, and at most `limit` characters.

    A longer reply is cut at a word boundary and marked, rather than split into several
    texts, so that one message has one provider id and one delivery status; advisers'
    replies that long belong in a letter or email anyway.
    """
    body = text.translate(PLAIN).strip()
    if len(body) <= limit:
        return body
    cut = body[: limit - len(TRUNCATED)]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + TRUNCATED
