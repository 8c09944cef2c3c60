"""Running one outbox job: reload, check state, act, record. Safe to run twice.

The same function runs under RQ (which applies retries) and in-process (which applies the
same number of attempts at once), so the outcome does not depend on where it ran.
"""
from __future__ import annotations

import datetime as dt
import logging
import traceback
from typing import Any

from hub.db import get_session, utcnow
from hub.jobs import queries
from hub.jobs.registry import TASKS, resolve

log = logging.getLogger(__name__)


class JobFailed(RuntimeError):
    pass


def _attempt(job_id: int) -> str:
    """One attempt. Returns "done", "skipped" or "failed"; raises on failure after recording it.

    The attempt first claims the job (pending, or running with an expired lease); a job
    another attempt holds, or one already finished, is skipped, so a job re-sent by the
    sweep or pushed twice onto a queue still runs once at a time. A job that has had all
    its attempts (the last one died with its worker, say) is given up here, not run again.
    """
    from hub.jobs.dispatch import commit_and_dispatch

    sess = get_session()
    job = queries.get(job_id)
    spec = TASKS.get(job.task) if job is not None else None
    if job is None or spec is None or job.status in ("done", "failed"):
        sess.rollback()
        return "skipped"
    if job.attempts >= spec.max_attempts:
        sess.rollback()
        return "failed" if give_up(job_id) else "skipped"
    attempt = queries.claim(job_id, spec.lease, spec.max_attempts)
    if attempt is None:
        sess.rollback()
        log.info("job %s skipped: another attempt holds it", job_id, extra={"job": job_id, "task": job.task})
        return "skipped"
    task, args = job.task, dict(job.args)
    if job.case_id is not None:
        args["case_id"] = job.case_id
    sess.commit()
    try:
        spec.resolve()(**args)
        job = queries.get(job_id)
        assert job is not None
        job.status, job.finished_at, job.last_error = "done", utcnow(), None
        commit_and_dispatch()
        return "done"
    except Exception as exc:
        sess.rollback()
        get_session().info.pop("hub.outbox.new", None)
        job = queries.get(job_id, lock=True)
        # Hand the job back only if this attempt still holds it (its lease may have been
        # taken over by another attempt, whose claim must not be undone).
        if job is not None and job.status == "running" and job.attempts == attempt:
            job.status, job.started_at = "pending", None
            job.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        sess.commit()
        log.warning("job %s (%s) failed: %s", job_id, task, exc, extra={"job": job_id, "task": task})
        raise


def give_up(job_id: int, error: str | None = None) -> bool:
    """After the last attempt: mark failed and hand the case to people (never dropped).

    ``error`` is what the last attempt raised; without it the job's own record gives the
    reason. A job still "running" past its lease lost its last attempt with its worker
    (killed, out of memory): that counts, and the reason says how many attempts ended so.
    Returns False when there was nothing to give up (finished, or another attempt holds it).
    """
    from hub.jobs.dispatch import commit_and_dispatch

    sess = get_session()
    sess.rollback()
    job = queries.get(job_id, lock=True)
    if job is None or job.status in ("done", "failed"):
        sess.rollback()
        return False
    spec = TASKS[job.task]
    if job.status == "running" and job.started_at is not None and \
            utcnow() - job.started_at < dt.timedelta(seconds=spec.lease):
        sess.rollback()  # another attempt holds the job now; it finishes or gives up itself
        return False
    if job.status == "running":
        job.lost_attempts += 1
        error = None  # what RQ says of an abandoned job adds nothing to the count
    reason = _reason(job.lost_attempts, error or job.last_error)
    job.status, job.finished_at, job.last_error = "failed", utcnow(), reason[:2000]
    args: dict[str, Any] = dict(job.args)
    if spec.give_up:
        resolve(spec.give_up)(task=job.task, args=args, case_id=job.case_id, error=reason)
    commit_and_dispatch()
    log.error("job %s (%s) gave up: %s", job_id, job.task, reason, extra={"job": job_id, "task": job.task})
    return True


def _reason(lost: int, error: str | None) -> str:
    """Why a job gave up, for the case's advisers: its worker dying counts as much as an error."""
    if not lost:
        return error or "no attempt finished"
    stopped = f"the job stopped its worker {lost} time{'' if lost == 1 else 's'}"
    return f"{stopped}; another attempt failed with {error}" if error else stopped


def run(job_id: int) -> str:
    """RQ entry point: one attempt; RQ retries, and `on_rq_failure` gives up after the last.

    Each job gets its own app context (pushed inside the worker's), so its session
    starts empty and is removed afterwards.
    """
    from flask import current_app

    from hub.db import after_fork

    after_fork()
    with current_app.app_context():
        return _attempt(job_id)


def on_rq_failure(job: Any, connection: Any, exc_type: Any, exc_value: Any, tb: Any) -> None:
    # RQ calls this after every failed attempt, including ones it will retry.
    if job.retries_left:
        return
    from flask import current_app

    from hub.db import after_fork

    after_fork()
    with current_app.app_context():
        give_up(job.args[0], f"{exc_type.__name__}: {exc_value}")


def run_inline(job_id: int) -> str:
    """In-process: the same attempts as RQ would make, without the waits between them."""
    from flask import current_app

    with current_app.app_context():
        job = queries.get(job_id)
        if job is None or job.task not in TASKS:
            return "skipped"
        attempts = TASKS[job.task].max_attempts
        get_session().rollback()
        last_error = ""
        for _ in range(attempts):
            try:
                return _attempt(job_id)
            except Exception as exc:
                last_error = f"{type(exc).__name__}: {exc}"
                log.debug("inline attempt failed: %s", traceback.format_exc())
        give_up(job_id, last_error)
        return "failed"
