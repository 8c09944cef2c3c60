"""Reads and writes of staff accounts (the only module that touches them)."""
from __future__ import annotations

from sqlalchemy import select

from hub.db import session
from hub.partnership.models import Authority
from hub.users.models import Membership, User


def get_by_email(email: str) -> User | None:
    return session.scalars(select(User).where(User.email == email.lower())).first()


def get(user_id: int) -> User | None:
    return session.get(User, user_id)


def known_authorities(codes: list[str]) -> set[str]:
    return set(session.scalars(select(Authority.code).where(Authority.code.in_(codes))))


def save(user: User) -> User:
    session.add(user)
    session.flush()
    return user


def set_memberships(user: User, codes: list[str]) -> None:
    user.memberships[:] = [Membership(authority_code=c) for c in sorted(set(codes))]
    session.flush()
