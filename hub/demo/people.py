"""The demo's people: staff sign-ins for each partner council, and made-up citizens.

Citizens use reserved contact details only: emails at example.org / example.com and
Ofcom's drama range of mobile numbers (07700 900000-900999), so a demo can never text or
email a real person.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from hub.partnership.schema import PartnershipDoc

# Published on purpose: demo sign-ins exist only outside production (see hub.demo.seed).
DEMO_PASSWORD = "demo-password-2026"
DEMO_DOMAIN = "demo.hub.example.org"
ADMIN_EMAIL = f"admin@{DEMO_DOMAIN}"
HUB_ADVISER_EMAIL = f"adviser.hub@{DEMO_DOMAIN}"


@dataclass(frozen=True)
class DemoUser:
    email: str
    role: str
    authorities: tuple[str, ...]
    name: str


def staff(doc: PartnershipDoc) -> list[DemoUser]:
    """An adviser and a manager per partner council, a shared hub adviser, and an admin."""
    hub = doc.triage_authority.code
    councils = [a for a in doc.authorities if a.partner and a.code != hub]
    everyone = tuple(sorted([a.code for a in councils] + [hub]))
    people: list[DemoUser] = []
    for auth in councils:
        slug = auth.code.lower()
        people.append(DemoUser(f"adviser.{slug}@{DEMO_DOMAIN}", "adviser", (auth.code,), f"{auth.code} Adviser"))
        people.append(DemoUser(f"manager.{slug}@{DEMO_DOMAIN}", "manager", (auth.code,), f"{auth.code} Manager"))
    people.append(DemoUser(HUB_ADVISER_EMAIL, "adviser", everyone, "Hub Adviser"))
    people.append(DemoUser(ADMIN_EMAIL, "admin", everyone, "Demo Admin"))
    return people


FIRST_NAMES = ("Olivia", "Amelia", "Isla", "Ava", "Mia", "Grace", "Freya", "Lily", "Emily", "Sophie", "Ruby",
               "Evie", "Poppy", "Ella", "Jessica", "Margaret", "Susan", "Patricia", "Helen", "Priya", "Aisha",
               "Zofia", "Noah", "Oliver", "George", "Arthur", "Leo", "Harry", "Oscar", "Jack", "Charlie",
               "Thomas", "James", "William", "Henry", "David", "Peter", "Michael", "Robert", "Mohammed",
               "Arjun", "Tomasz", "Kwame", "Callum", "Rhys", "Dylan", "Sean", "Brian")
LAST_NAMES = ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
              "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall",
              "Wood", "Jackson", "Clarke", "Hughes", "Edwards", "Turner", "Hill", "Baker", "Harris", "Lewis",
              "Khan", "Ahmed", "Kowalski", "Nowak", "Morgan", "Cooper", "Ward", "Price", "Bennett", "Griffiths",
              "Powell", "Lloyd", "Mason", "Hussain", "Singh", "Okafor", "Mensah", "Fisher", "Bishop", "Pearce")
# The partnership's own SMS number is in the drama range too: never give it to a citizen.
RESERVED_PHONES = frozenset({"+447700900100"})


def citizens(rng: random.Random, count: int) -> list[dict[str, str | None]]:
    """Citizen rows: the first ~1,000 have a mobile (there are only so many drama numbers)."""
    phones = [f"+447700900{n:03d}" for n in range(1000) if f"+447700900{n:03d}" not in RESERVED_PHONES]
    rng.shuffle(phones)
    rows: list[dict[str, str | None]] = []
    for i in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        phone = phones[i] if i < len(phones) else None
        has_email = phone is None or rng.random() < 0.7
        domain = "example.org" if rng.random() < 0.6 else "example.com"
        email = f"{first.lower()}.{last.lower()}{i}@{domain}" if has_email else None
        rows.append({"name": f"{first} {last}", "email": email, "phone": phone})
    return rows
