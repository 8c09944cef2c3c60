"""Reads and bulk writes of the demo history (the only demo module that touches the session).

Thousands of rows go in as a few multi-row INSERTs rather than one ORM object each, so
seeding takes seconds even on SQLite. Queries flush, never commit: the command commits.
"""
from __future__ import annotations

from typing import Any, Sequence

from sqlalchemy import insert, select

from hub.cases import repeats
from hub.cases.models import Case, CaseEvent, Message
from hub.citizens.models import Citizen
from hub.db import get_session, session
from hub.users.models import User

BATCH = 1000


def user_exists(email: str) -> bool:
    return session.scalars(select(User.id).where(User.email == email.lower())).first() is not None


def existing_references() -> set[str]:
    return set(session.scalars(select(Case.reference)))


# Without render_nulls the ORM leaves out None values, so rows differ in their columns and
# are sent one statement each (thousands of round trips on PostgreSQL).
_BULK = {"render_nulls": True}


def _insert_returning_ids(model: Any, rows: Sequence[dict[str, Any]]) -> list[int]:
    ids: list[int] = []
    for start in range(0, len(rows), BATCH):
        stmt = insert(model).returning(model.id, sort_by_parameter_order=True).execution_options(**_BULK)
        ids.extend(session.scalars(stmt, list(rows[start:start + BATCH])).all())
    return ids


def _insert(model: Any, rows: Sequence[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        session.execute(insert(model).execution_options(**_BULK), list(rows[start:start + BATCH]))


def add_citizens(rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert citizens; their ids in the order given."""
    return _insert_returning_ids(Citizen, rows)


def add_cases(rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert cases; their ids in the order given.

    A bulk INSERT bypasses the flush that keeps repeat contacts right: they are refreshed here.
    """
    ids = _insert_returning_ids(Case, rows)
    repeats.refresh_cases(get_session(), ids)
    return ids


def add_messages(rows: Sequence[dict[str, Any]]) -> None:
    _insert(Message, rows)


def add_events(rows: Sequence[dict[str, Any]]) -> None:
    _insert(CaseEvent, rows)
    session.flush()
