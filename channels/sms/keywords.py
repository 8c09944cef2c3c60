"""Short commands a citizen can text instead of a sentence.

Opt-out and opt-in words are Twilio's own (its carriers honour them too), matched the way
Twilio matches them: the whole message is the word, any case, surrounding spaces and
punctuation ignored. "YES" also opts back in at Twilio, but citizens answer questions with
it, so the hub treats it as START only from a number that has opted out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from hub import references
from hub.geo import postcodes

STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"})
START_WORDS = frozenset({"START", "UNSTOP"})
HELP_WORDS = frozenset({"HELP", "INFO"})
_EDGES = re.compile(r"^[\s\W_]+|[\s\W_]+$")


@dataclass(frozen=True)
class Command:
    kind: str  # "stop", "start", "yes", "help", "status", "bin" or "text"
    argument: str | None = None


def parse(body: str) -> Command:
    """What the text asks for; anything that is not a command is free text for triage."""
    text = _EDGES.sub("", body or "")
    word, _, rest = text.partition(" ")
    word, rest = word.upper(), rest.strip()
    if not rest:
        if word in STOP_WORDS:
            return Command("stop")
        if word in START_WORDS:
            return Command("start")
        if word == "YES":
            return Command("yes")
        if word in HELP_WORDS:
            return Command("help")
    if word == "STATUS" and (not rest or references.normalise(rest) or len(rest) <= 12):
        return Command("status", rest or None)  # checked (and typos refused) when answered
    if word == "BIN" and (not rest or postcodes.normalise(rest) or len(rest) <= 10):
        return Command("bin", postcodes.normalise(rest) if rest else None)
    return Command("text")
