"""Normalising what citizens write before anything tries to understand it."""
from __future__ import annotations

import re
import unicodedata

# Text-speak and common abbreviations seen in council SMS inboxes.
ABBREVIATIONS = {
    "pls": "please", "plz": "please", "u": "you", "ur": "your", "r": "are", "n": "and",
    "nt": "not", "wasnt": "was not", "wont": "will not", "cant": "can not", "dont": "do not",
    "isnt": "is not", "hasnt": "has not", "havent": "have not", "didnt": "did not",
    "st": "street", "rd": "road", "ln": "lane", "ave": "avenue", "thx": "thanks", "tx": "thanks",
    "2day": "today", "2moro": "tomorrow", "tmrw": "tomorrow", "wk": "week", "b4": "before",
    "cld": "could", "wld": "would", "shld": "should", "bc": "because", "cos": "because",
    "coz": "because", "ppl": "people", "msg": "message", "info": "information", "asap": "as soon as possible",
    "govt": "government", "ctax": "council tax", "hb": "housing benefit", "recyc": "recycling",
    "rubish": "rubbish", "colected": "collected", "collcted": "collected", "emptyed": "emptied",
    "strret": "street", "streetlight": "street light", "lamppost": "lamp post", "pothole": "pot hole",
    "potholes": "pot holes", "bins": "bin", "im": "i am", "ive": "i have", "ill": "i will",
}

_QUOTE_HEADER_RE = re.compile(
    r"^(On .{4,200}wrote:?\s*$|-{2,}\s*Original Message\s*-{2,}|From:\s.+|Sent from my \w+.*)$",
    re.IGNORECASE | re.MULTILINE,
)
_SIGNATURE_RE = re.compile(r"^(--\s*|_{3,}|Kind regards,?|Best regards,?|Regards,?|Many thanks,?|Thanks,?|Cheers,?|Yours sincerely,?|Yours faithfully,?)\s*$",
                           re.IGNORECASE | re.MULTILINE)


def strip_email(text: str) -> str:
    """Drop quoted history and the signature block; keep what the citizen just wrote."""
    match = _QUOTE_HEADER_RE.search(text)
    if match:
        text = text[: match.start()]
    lines = [line for line in text.splitlines() if not line.lstrip().startswith(">")]
    text = "\n".join(lines)
    sig = _SIGNATURE_RE.search(text)
    if sig and sig.start() > 0 and len(text) - sig.start() < 400:
        text = text[: sig.start()]
    return text.strip()


def normalise(text: str, channel: str | None = None) -> str:
    """Lower-case, plain-letter text with abbreviations expanded, for matching and models."""
    if channel == "email":
        text = strip_email(text)
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
    text = text.lower()
    text = re.sub(r"(\w)'(\w)", r"\1\2", text)
    words = re.findall(r"[a-z0-9£]+", text)
    return " ".join(ABBREVIATIONS.get(w, w) for w in words)
