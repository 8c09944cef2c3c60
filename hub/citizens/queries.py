"""Reads and writes of citizens (the only module that touches them)."""
from __future__ import annotations

from sqlalchemy import select

from hub.citizens.models import Citizen
from hub.db import session


def find_or_create(*, name: str | None, email: str | None, phone: str | None) -> Citizen | None:
    """The citizen with this phone (else this email), created when none matches; None when anonymous.

    An existing record is never changed: the details come from an unverified contact (a portal
    form, a typed number), and writing them onto a match would let anyone who knows a
    resident's phone attach their own email to that resident (decision 0024). What a case
    shows and where its replies go come from the case's own contact details instead.
    """
    if not (email or phone):
        if not name:
            return None
        citizen = Citizen(name=name)
        session.add(citizen)
        session.flush()
        return citizen
    stmt = select(Citizen)
    stmt = stmt.where(Citizen.phone == phone) if phone else stmt.where(Citizen.email == (email or "").lower())
    citizen = session.scalars(stmt.order_by(Citizen.id).limit(1)).first()
    if citizen is None:
        citizen = Citizen(name=name, email=(email or "").lower() or None, phone=phone)
        session.add(citizen)
        session.flush()
    return citizen


def get(citizen_id: int) -> Citizen | None:
    return session.get(Citizen, citizen_id)


def find_by_phone(phone: str) -> Citizen | None:
    """The citizen with this E.164 number (the oldest, should two records share it)."""
    return session.scalars(select(Citizen).where(Citizen.phone == phone).order_by(Citizen.id).limit(1)).first()
