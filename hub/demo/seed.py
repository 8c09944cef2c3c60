"""`hub demo seed`: demo sign-ins and twelve weeks of history, once, never in production.

`make run` calls this every time, so a second run must be quick and add nothing: the
demo admin account is the marker that the demo is already in place (everything is
written in the command's one transaction, so there is never half a demo).
"""
from __future__ import annotations

import datetime as dt
import logging
import random
import time
from collections import Counter
from typing import Iterator

from flask import current_app

from hub import references
from hub.db import utcnow
from hub.demo import queries
from hub.demo.history import SEED, ASSISTED, History, Plan
from hub.demo.people import ADMIN_EMAIL, DEMO_PASSWORD, DemoUser, citizens, staff
from hub.partnership.service import current
from hub.users.service import UserError, add_user

log = logging.getLogger(__name__)
CITIZEN_POOL = 2600


class DemoRefused(RuntimeError):
    """The demo cannot be seeded here (production, or no partnership loaded)."""


def seed(weeks: int = 12, *, now: dt.datetime | None = None) -> Iterator[str]:
    """Create the demo once; yield lines for the operator, ending with the sign-ins."""
    settings = current_app.config["HUB_SETTINGS"]
    if settings.env == "production":
        log.warning("demo seed refused", extra={"reason": "HUB_ENV=production"})
        raise DemoRefused("Refusing to seed demo data with HUB_ENV=production: the demo sign-ins share "
                          "a published password. Use HUB_ENV=development for a demo.")
    doc = current()
    people = staff(doc)
    if queries.user_exists(ADMIN_EMAIL):
        yield "Demo data is already in place; nothing was added."
    else:
        started = time.monotonic()
        ids = _add_staff(people)
        yield f"Added {len(people)} demo sign-ins."
        counts = _add_history(weeks, now or utcnow(), _advisers(people, ids))
        share = ", ".join(f"{ch} {n}" for ch, n in counts.most_common())
        yield (f"Added {sum(counts.values())} demo cases over {weeks} weeks ({share}) "
               f"in {time.monotonic() - started:.1f}s.")
    yield from sign_in_lines(people)


def sign_in_lines(people: list[DemoUser]) -> Iterator[str]:
    yield f"Demo sign-ins (password for all: {DEMO_PASSWORD}), at /adviser/sign-in:"
    for person in people:
        yield f"  {person.email:<38} {person.role:<8} {', '.join(person.authorities)}"


def _add_staff(people: list[DemoUser]) -> dict[str, int]:
    ids = {}
    for person in people:
        try:
            user = add_user(person.email, DEMO_PASSWORD, person.role, list(person.authorities), name=person.name)
        except UserError as exc:
            raise DemoRefused(f"Cannot create the demo sign-ins: {exc}") from None
        ids[person.email] = user.id
    return ids


def _advisers(people: list[DemoUser], ids: dict[str, int]) -> dict[str, list[int]]:
    """Which demo advisers can work each council's cases (by their memberships)."""
    by_authority: dict[str, list[int]] = {}
    for person in people:
        if person.role == "adviser":
            for code in person.authorities:
                by_authority.setdefault(code, []).append(ids[person.email])
    return by_authority


def _add_history(weeks: int, now: dt.datetime, advisers: dict[str, list[int]]) -> Counter[str]:
    taken = queries.existing_references()

    def new_reference() -> str:
        ref = references.generate()
        while ref in taken:
            ref = references.generate()
        taken.add(ref)
        return ref

    pool = citizens(random.Random(SEED), CITIZEN_POOL)
    plans = History(current(), now=now, weeks=weeks, advisers=advisers, citizens=pool,
                    new_reference=new_reference).build()
    _write(plans, pool)
    return Counter(p.case["channel"] for p in plans)


def _contact_details(plan: Plan, pool: list[dict[str, str | None]]) -> dict[str, str | None]:
    """What the citizen gave with this contact: a text its number, an email its address and name."""
    person = pool[plan.citizen] if plan.citizen is not None else {}
    channel = plan.case["channel"]
    return {"contact_name": person.get("name") if channel != "sms" else None,
            "contact_email": person.get("email") if channel != "sms" else None,
            "contact_phone": person.get("phone") if channel != "email" else None}


def _write(plans: list[Plan], pool: list[dict[str, str | None]]) -> None:
    used = sorted({p.citizen for p in plans if p.citizen is not None})
    first_seen: dict[int, dt.datetime] = {}
    for plan in plans:
        if plan.citizen is not None:
            first_seen.setdefault(plan.citizen, plan.case["created_at"])
    citizen_ids = dict(zip(used, queries.add_citizens([
        {**pool[i], "sms_opted_out": False, "created_at": first_seen[i], "updated_at": first_seen[i]}
        for i in used])))
    case_ids = queries.add_cases([{**p.case, "citizen_id": citizen_ids.get(p.citizen) if p.citizen is not None
                                   else None, **_contact_details(p, pool)} for p in plans])
    queries.add_messages([{**m, "case_id": cid} for p, cid in zip(plans, case_ids) for m in p.messages])
    queries.add_events([{**e, "case_id": cid} for p, cid in zip(plans, case_ids) for e in p.events])
    log.info("demo history added", extra={"cases": len(plans),
                                          "assisted": sum(p.case["channel"] in ASSISTED for p in plans)})
