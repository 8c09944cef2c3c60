"""Bin day: the next collections for the citizen's round, in one short text.

The most common waste call there is; answering it well is most of the hub's channel shift.
The schedule comes from the partnership file (alternate weeks, garden-waste season, bank
holiday slips) through the pure rules in `workflows.schedule`. No side effects.
"""
from __future__ import annotations

import datetime as dt

from hub.partnership.routing import Route
from hub.partnership.schema import PartnershipDoc, ServiceDef
from hub.triage.pipeline import Contact, WorkflowResult
from workflows import common
from workflows.schedule import GARDEN, next_collection_of, next_collections


def _bins(bins: tuple[str, ...]) -> str:
    words = ["general waste" if b == "general" else b for b in bins]
    return " and ".join(words)


def answer(doc: PartnershipDoc, service: ServiceDef, contact: Contact, postcode: str | None,
           route: Route, at: dt.datetime) -> WorkflowResult:
    rules = common.waste_rules(doc)
    sector, rnd = common.round_for(doc, postcode)
    if rules is None or rnd is None:
        where = f"sector {sector}" if sector else "this postcode"
        return WorkflowResult(
            "escalated", f"Thank you. {route.authority.name if route.authority else 'An adviser'} will reply "
            f"with your collection days.",
            f"No collection round is configured for {where}, so an adviser must answer.")
    now = common.local(doc, at)
    upcoming = next_collections(rules, rnd, now.date(), 2, now_local=now.time())
    parts = []
    for col in upcoming:
        moved = " (moved by the bank holiday)" if col.slipped else ""
        parts.append(f"{common.short_day(col.date)} {_bins(col.bins)}{moved}")
    reply = f"Your next collections: {'; '.join(parts)}."
    listed = {b for col in upcoming for b in col.bins}
    asked = common.bin_types(contact.text, contact.details)
    if asked and asked[0] not in listed:
        nxt = next_collection_of(rules, rnd, asked[0], now.date(), now_local=now.time())
        reply += f" Next {common.BIN_LABELS[asked[0]]}: {common.short_day(nxt.date)}."
    if any(GARDEN in col.bins for col in upcoming) or (asked and asked[0] == GARDEN):
        reply += " Garden waste is for subscribers."
    return WorkflowResult(
        "self_served", reply,
        f"Sector {sector} is collected on the {rnd.cycle} cycle; next collections worked out from "
        f"{now:%Y-%m-%d %H:%M} local time.",
        data={"details": {"postcode": postcode}, "collections": [
            {"date": col.date.isoformat(), "bins": list(col.bins), "slipped": col.slipped} for col in upcoming]})
