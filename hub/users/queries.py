"""Reads and writes of staff accounts (the only module that touches them)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from hub.db import get_engine, session, utcnow
from hub.partnership.models import Authority
from hub.users.models import Membership, SignInFailure, User


class EmailClaimed(Exception):
    """Another transaction created an account with this email between our check and our insert."""


def get_by_email(email: str) -> User | None:
    return session.scalars(select(User).where(User.email == email.lower())).first()


def get(user_id: int) -> User | None:
    return session.get(User, user_id)


def emails(user_ids: set[int]) -> dict[int, str]:
    """Each user's email, by id, in one query."""
    if not user_ids:
        return {}
    rows = session.execute(select(User.id, User.email).where(User.id.in_(user_ids)))
    return {user_id: email for user_id, email in rows}


def known_authorities(codes: list[str]) -> set[str]:
    return set(session.scalars(select(Authority.code).where(Authority.code.in_(codes))))


def save(user: User) -> User:
    session.add(user)
    session.flush()
    return user


def insert_new(user: User) -> User:
    """Insert a new account; EmailClaimed if a concurrent creation won the unique email.

    The insert must be its unit of work's first write: losing the race rolls the whole unit
    back (no savepoint: on SQLite a savepoint that opens the unit is its outermost transaction,
    see channels/email/queries.add_inbound). Any other integrity error is a real failure.
    """
    session.add(user)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        # The rival's row is committed by now: PostgreSQL only reports the violation once the
        # other transaction commits, and SQLite writers take turns.
        if get_by_email(user.email) is None:
            raise
        raise EmailClaimed(user.email) from None
    return user


def set_memberships(user: User, codes: list[str]) -> None:
    user.memberships[:] = [Membership(authority_code=c) for c in sorted(set(codes))]
    session.flush()


def all_users() -> list[User]:
    return list(session.scalars(select(User).order_by(User.email)))


def authorities() -> list[Authority]:
    return list(session.scalars(select(Authority).where(Authority.active.is_(True)).order_by(Authority.name)))


def totp_required_for(codes: frozenset[str]) -> bool:
    """Whether any of these councils makes its staff use a second factor."""
    from hub.adviser.models import CouncilPolicy

    if not codes:
        return False
    stmt = select(CouncilPolicy.authority_code).where(
        CouncilPolicy.authority_code.in_(sorted(codes)), CouncilPolicy.require_totp.is_(True))
    return session.scalars(stmt.limit(1)).first() is not None


def policies() -> dict[str, bool]:
    from hub.adviser.models import CouncilPolicy

    return {p.authority_code: p.require_totp for p in session.scalars(select(CouncilPolicy))}


def set_policy(authority_code: str, require_totp: bool) -> None:
    from hub.adviser.models import CouncilPolicy

    policy = session.get(CouncilPolicy, authority_code) or CouncilPolicy(authority_code=authority_code)
    policy.require_totp = require_totp
    session.add(policy)
    session.flush()


def record_failed_sign_in(user_id: int, *, lock_after: int, lock_for: dt.timedelta) -> None:
    """Count a failure in its own committed transaction.

    The failed request rolls its own session back (it answers 4xx), and an attacker must not
    be able to reset the counter that way, so the counter is written on a separate connection.
    """
    now = utcnow()
    with get_engine().begin() as conn:
        failures = conn.execute(update(User).where(User.id == user_id)
                                .values(failed_sign_ins=User.failed_sign_ins + 1)
                                .returning(User.failed_sign_ins)).scalar_one()
        if failures >= lock_after:
            conn.execute(update(User).where(User.id == user_id).values(locked_until=now + lock_for))


def address_failures(ip: str, *, since: dt.datetime, cap: int) -> int:
    """Failed sign-ins from this address since `since`, counted up to `cap` (one index range scan)."""
    recent = select(SignInFailure.id).where(SignInFailure.ip == ip[:45], SignInFailure.at >= since).limit(cap).subquery()
    return session.scalar(select(func.count()).select_from(recent)) or 0


def record_address_failure(ip: str, *, forget_before: dt.datetime) -> None:
    """Count a failure from this address, and prune failures older than the window, in their own
    committed transaction (like record_failed_sign_in: the failed request rolls back)."""
    with get_engine().begin() as conn:
        conn.execute(delete(SignInFailure).where(SignInFailure.at < forget_before))
        conn.execute(insert(SignInFailure).values(ip=ip[:45], at=utcnow()))
