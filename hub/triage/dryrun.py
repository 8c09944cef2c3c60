"""`hub triage`: the pipeline's decision as JSON, changing nothing."""
from __future__ import annotations

import datetime as dt
import json
from typing import IO, Iterator

from hub.triage.pipeline import Contact
from hub.triage.service import pipeline


def _parse_at(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    parsed = dt.datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


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
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise ValueError("each line needs a JSON object with a 'text' string")
            contact = Contact(text=item["text"], channel=item.get("channel") or "web",
                              postcode=item.get("postcode"), at=_parse_at(item.get("at")))
            out = pipe.decide(contact).as_json()
        except ValueError as exc:
            out = {"error": f"line {number}: {exc}"}
        if isinstance(item, dict) and "id" in item:
            out = {"id": item["id"], **out}
        yield json.dumps(out)
