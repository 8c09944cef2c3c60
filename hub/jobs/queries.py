"""Reads and writes of the outbox (the only module that touches it)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, case, or_, select, update

from hub.db import session, utcnow
from hub.jobs.models import OutboxJob
from hub.jobs.registry import TASKS


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


def claim(job_id: int, lease: int, max_attempts: int) -> int | None:
    """Take the job for one attempt; returns the attempt number, or None if it is not ours.

    A single conditional UPDATE, so two attempts can never both win: PostgreSQL makes the
    second wait for the first's row lock and then re-checks the condition; SQLite runs
    one writer at a time. A running job is taken over only once its lease has expired, and
    that counts the attempt which held it as lost with its worker. The claim is what counts
    an attempt, so an attempt whose process dies still counts; a job that has had its
    ``max_attempts`` is never claimed again (it is given up instead).
    """
    now = utcnow()
    expired = now - dt.timedelta(seconds=lease)
    result = session.execute(
        update(OutboxJob)
        .where(OutboxJob.id == job_id, OutboxJob.attempts < max_attempts,
               or_(OutboxJob.status == "pending",
                   and_(OutboxJob.status == "running",
                        or_(OutboxJob.started_at.is_(None), OutboxJob.started_at < expired))))
        # Every SET expression reads the row as it was, so "running" here is the dead attempt.
        .values(status="running", started_at=now, attempts=OutboxJob.attempts + 1,
                lost_attempts=OutboxJob.lost_attempts + case((OutboxJob.status == "running", 1), else_=0))
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return None
    job = get(job_id, lock=True)
    assert job is not None
    return job.attempts


def left_behind(older_than: dt.timedelta, limit: int = 500) -> list[int]:
    """Jobs nobody will run unless they are sent again.

    - pending and never dispatched, created before ``older_than`` ago (Redis was down, or
      the process died between its commit and dispatching);
    - pending, dispatched longer ago than the task's whole budget (every attempt's timeout
      plus the retry intervals), so not merely waiting in a queue or between retries;
    - running, with the lease of the attempt that claimed it expired (a crashed worker).
    A job still queued, retrying or running is never picked, so the sweep cannot start a
    second copy of live work (and the claim would refuse it anyway).
    """
    now = utcnow()
    per_task = [
        and_(OutboxJob.task == name,
             or_(and_(OutboxJob.status == "pending", OutboxJob.dispatched_at < now - dt.timedelta(seconds=spec.dispatch_budget)),
                 and_(OutboxJob.status == "running",
                      or_(OutboxJob.started_at.is_(None), OutboxJob.started_at < now - dt.timedelta(seconds=spec.lease)))))
        for name, spec in TASKS.items()
    ]
    stmt = (
        select(OutboxJob.id)
        .where(or_(and_(OutboxJob.status == "pending", OutboxJob.dispatched_at.is_(None),
                        OutboxJob.created_at < now - older_than),
                   *per_task))
        .order_by(OutboxJob.id)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def out_of_attempts(job_ids: list[int]) -> list[int]:
    """Those of the jobs that have had every attempt their task allows (to give up, not resend)."""
    if not job_ids:
        return []
    spent = [and_(OutboxJob.task == name, OutboxJob.attempts >= spec.max_attempts) for name, spec in TASKS.items()]
    stmt = select(OutboxJob.id).where(OutboxJob.id.in_(job_ids), or_(*spent)).order_by(OutboxJob.id)
    return list(session.scalars(stmt))


def mark_dispatched(job_ids: list[int]) -> None:
    for job_id in job_ids:
        job = session.get(OutboxJob, job_id)
        if job is not None:
            job.dispatched_at = utcnow()
    session.flush()
