"""`hub triage`: the pipeline's decision as JSON, changing nothing."""
from __future__ import annotations

import datetime as dt
import json
from typing import IO, Any, Iterator

from hub.triage.pipeline import Contact
from hub.triage.service import pipeline

# The channels a citizen writes on (the ones triage answers).
TRIAGE_CHANNELS = ("sms", "email", "web")
# Working calendars and bank holidays only make sense for years near now.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def parse_at(value: object) -> dt.datetime | None:
    """An ISO 8601 time to decide as of, in UTC; ValueError says what is wrong with it."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError("'at' must be an ISO 8601 date and time string")
    try:
        parsed = dt.datetime.fromisoformat(value)
        parsed = (parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)).astimezone(dt.timezone.utc)
    except (ValueError, OverflowError):
        raise ValueError(f"'at' is not an ISO 8601 date and time: {value[:40]!r}") from None
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise ValueError(f"'at' must be between the years {FIRST_YEAR} and {LAST_YEAR}")
    return parsed


def _contact(item: object) -> Contact:
    """One batch line as a Contact, its fields' types checked (ValueError says which is wrong)."""
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        raise ValueError("each line needs a JSON object with a 'text' string")
    channel: Any = item.get("channel") or "web"
    if channel not in TRIAGE_CHANNELS:
        raise ValueError(f"'channel' must be one of {', '.join(TRIAGE_CHANNELS)}")
    postcode = item.get("postcode")
    if postcode is not None and not isinstance(postcode, str):
        raise ValueError("'postcode' must be a string")
    return Contact(text=item["text"], channel=channel, postcode=postcode or None, at=parse_at(item.get("at")))


def run_one(text: str, *, channel: str = "web", postcode: str | None = None, at: dt.datetime | None = None) -> str:
    decision = pipeline().decide(Contact(text=text, channel=channel, postcode=postcode, at=at))
    return json.dumps(decision.as_json())


def run_batch(lines: IO[str]) -> Iterator[str]:
    """One output line per input line, in order; a bad line gets an error object, not a crash."""
    pipe = pipeline()
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        item: object = {}
        try:
            item = json.loads(raw)
            out = pipe.decide(_contact(item)).as_json()
        except (ValueError, TypeError, OverflowError, RecursionError) as exc:
            out = {"error": f"line {number}: {exc}"}
        if isinstance(item, dict) and "id" in item:
            out = {"id": item["id"], **out}
        yield json.dumps(out)
