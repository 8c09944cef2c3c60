"""The public view of cases for Open311: street reports only, no personal data."""
from __future__ import annotations

import datetime as dt
from typing import Sequence

from sqlalchemy import select

from hub.cases.models import Case
from hub.db import session


def public_requests(*, authority: str, service_codes: Sequence[str], start: dt.datetime | None,
                    end: dt.datetime | None, status: str | None, limit: int) -> Sequence[Case]:
    stmt = (select(Case).where(Case.authority_code == authority, Case.service_code.in_(list(service_codes)))
            .order_by(Case.created_at.desc(), Case.id.desc()).limit(limit))
    if start is not None:
        stmt = stmt.where(Case.created_at >= start)
    if end is not None:
        stmt = stmt.where(Case.created_at <= end)
    if status == "open":
        stmt = stmt.where(Case.status != "closed")
    elif status == "closed":
        stmt = stmt.where(Case.status == "closed")
    return session.scalars(stmt).all()


def by_references(authority: str, references: Sequence[str], service_codes: Sequence[str]) -> Sequence[Case]:
    return session.scalars(select(Case).where(Case.reference.in_(list(references)), Case.authority_code == authority,
                                              Case.service_code.in_(list(service_codes)))).all()
