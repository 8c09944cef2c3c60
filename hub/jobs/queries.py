"""Reads and writes of the outbox (the only module that touches it)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import or_, select

from hub.db import session, utcnow
from hub.jobs.models import OutboxJob


def add(task: str, args: dict[str, Any], case_id: int | None, key: str | None) -> OutboxJob:
    if key is not None:
        existing = session.scalars(select(OutboxJob).where(OutboxJob.key == key)).first()
        if existing is not None:
            return existing
    job = OutboxJob(task=task, args=args, case_id=case_id, key=key, status="pending")
    session.add(job)
    session.flush()
    return job


def get(job_id: int, *, lock: bool = False) -> OutboxJob | None:
    stmt = select(OutboxJob).where(OutboxJob.id == job_id)
    if lock:
        # A locking read must see the row as it is now, not as this session last saw it.
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return session.scalars(stmt).first()


def left_behind(older_than: dt.timedelta, limit: int = 500) -> list[int]:
    """Jobs that should have run by now: never dispatched, or dispatched long ago and not done."""
    cutoff = utcnow() - older_than
    stmt = (
        select(OutboxJob.id)
        .where(OutboxJob.status.in_(("pending", "running")), OutboxJob.created_at < cutoff,
               or_(OutboxJob.dispatched_at.is_(None), OutboxJob.dispatched_at < cutoff))
        .order_by(OutboxJob.id)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def mark_dispatched(job_ids: list[int]) -> None:
    for job_id in job_ids:
        job = session.get(OutboxJob, job_id)
        if job is not None:
            job.dispatched_at = utcnow()
    session.flush()
