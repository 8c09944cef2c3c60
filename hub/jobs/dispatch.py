"""Job dispatch behind one small interface: in-process, or RQ on Redis.

`enqueue()` only writes an outbox row in the caller's transaction; nothing leaves the
process until that transaction commits. `dispatch_committed()` then hands the new rows to
RQ (when REDIS_URL is set) or runs them right here (the embedded default). If Redis is
down the rows stay pending and `hub sweep` (also run when a worker starts) sends them later.
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from flask import current_app

from hub.db import get_session
from hub.jobs import queries, runner
from hub.jobs.registry import TASKS

log = logging.getLogger(__name__)
_PENDING_KEY = "hub.outbox.new"


def enqueue(task: str, *, case_id: int | None = None, key: str | None = None, **args: Any) -> int:
    """Record a job to run once the current transaction commits; returns the outbox id."""
    if task not in TASKS:
        raise KeyError(f"unknown task {task!r}")
    job = queries.add(task, args, case_id, key)
    get_session().info.setdefault(_PENDING_KEY, []).append(job.id)
    return job.id


def take_new() -> list[int]:
    """The outbox ids enqueued in this session since the last call."""
    return get_session().info.pop(_PENDING_KEY, [])


def dispatch(job_ids: list[int]) -> None:
    """Send committed jobs on their way. Never raises: a job not sent stays pending."""
    if not job_ids:
        return
    redis_url = current_app.config["HUB_SETTINGS"].redis_url
    if redis_url is None:
        # Stamped as dispatched first, so the sweep (another thread or process) leaves these
        # alone while they run here; only a crash leaves them behind.
        queries.mark_dispatched(job_ids)
        get_session().commit()
        for job_id in job_ids:
            runner.run_inline(job_id)
        return
    try:
        from hub.jobs import rq_backend

        rq_backend.send(job_ids)
    except Exception as exc:  # Redis down or refusing: the sweep will pick these up.
        log.warning("jobs left in the outbox: %s", exc, extra={"jobs": job_ids})
        return
    sess = get_session()
    queries.mark_dispatched(job_ids)
    sess.commit()


def commit_and_dispatch() -> None:
    """The one commit point of a request, CLI command or job; then dispatch what it enqueued."""
    sess = get_session()
    sess.commit()
    dispatch(take_new())


def commit_progress() -> None:
    """A job's intermediate commit: record a claim before an outside call that cannot be undone.

    Only for jobs (the runner commits their end); the claim must be visible to any other
    attempt before, say, a provider is asked to send a text.
    """
    get_session().commit()


def sweep(older_than: dt.timedelta = dt.timedelta(seconds=60)) -> int:
    """Re-dispatch jobs left behind (Redis outage, crashed worker); returns how many.

    ``older_than`` is how long a never-dispatched job may wait for its own process to send
    it; jobs that were dispatched are swept only when their task's budget or lease has run
    out (`hub.jobs.queries.left_behind`), so a queued or running job is never doubled.
    A left-behind job that has had all its attempts (its worker died on the last one) is
    given up here instead: its case goes to advisers with the reason.
    """
    ids = queries.left_behind(older_than)
    spent = queries.out_of_attempts(ids)
    get_session().commit()
    for job_id in spent:
        runner.give_up(job_id)
    ids = [job_id for job_id in ids if job_id not in spent]
    dispatch(ids)
    if ids or spent:
        log.info("swept %d jobs, gave up %d", len(ids), len(spent))
    return len(ids)
