"""A job that kills its worker every time: real `hub worker --burst` processes on PostgreSQL
and Redis, each losing its work-horse to the job, until the attempts run out and `hub sweep`
hands the case to advisers with the reason.

The task is registered only here: the worker and sweep processes build their app with
`poisoned_app()` below (`flask --app "test_jobs_poison:poisoned_app()"`), which adds it to
the registry before the worker forks its work-horses.
"""
from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from hub.cases import queries
from hub.cases.service import receive_contact
from hub.db import get_session, utcnow
from hub.jobs import registry, rq_backend
from hub.jobs.dispatch import commit_and_dispatch, enqueue, take_new
from hub.jobs.models import OutboxJob
from hub.jobs.registry import TaskSpec

ROOT = Path(__file__).resolve().parents[2]
POISON = TaskSpec("test_jobs_poison:poison", timeout=30, retry_intervals=(0, 0))  # 3 attempts, 60 s lease


def poison(case_id: int, marker: str) -> None:
    """Note the attempt, then die as an out-of-memory kill would: no exception, no clean-up."""
    with open(marker, "a") as f:
        f.write(f"{os.getpid()}\n")
    os.kill(os.getpid(), signal.SIGKILL)


def poisoned_app():
    """The hub's own app (settings from the environment) with the poison task registered."""
    from hub import create_app

    registry.register("test_poison", POISON)
    return create_app()


@pytest.fixture
def poison_app(pg_database_url, redis_url, new_app):
    registry.register("test_poison", POISON)
    app = new_app(pg_database_url, REDIS_URL=redis_url)
    with app.app_context():
        yield app
    registry.TASKS.pop("test_poison", None)
    rq_backend._redis.cache_clear()


def _hub(database_url: str, redis_url: str, *args: str) -> str:
    from fixtures.app import TEST_ENV

    env = {**os.environ, **TEST_ENV, "DATABASE_URL": database_url, "REDIS_URL": redis_url,
           "PYTHONPATH": os.pathsep.join([str(ROOT / "tests" / "integration"), str(ROOT / "tests"), str(ROOT)])}
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "test_jobs_poison:poisoned_app()", *args],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _job(job_id: int) -> OutboxJob:
    get_session().expire_all()
    job = get_session().get(OutboxJob, job_id)
    assert job is not None
    return job


def test_a_job_that_kills_its_worker_every_time_is_given_up_and_escalated(poison_app, pg_database_url, redis_url,
                                                                         tmp_path):
    marker = tmp_path / "attempts"
    got = receive_contact(channel="web", body="I have a question about my council tax", email="p@example.org")
    get_session().commit()
    take_new()
    # Triage is not what is tested: as if it had run (the worker would otherwise sweep it up).
    for triage in get_session().scalars(select(OutboxJob).where(OutboxJob.case_id == got.case.id)):
        triage.status = "done"
    job_id = enqueue("test_poison", case_id=got.case.id, marker=str(marker))
    commit_and_dispatch()  # on the RQ queue now

    for attempt in (1, 2, 3):
        # The worker sweeps first (re-sending the job once its lease has run out), then runs the
        # queue: the work-horse dies, RQ retries at once and the retry finds the lease still held.
        _hub(pg_database_url, redis_url, "worker", "--burst")
        job = _job(job_id)
        assert (job.status, job.attempts, job.lost_attempts) == ("running", attempt, attempt - 1)
        assert len(marker.read_text().split()) == attempt  # it really ran, in a process now dead
        # Time passes beyond the lease of the attempt that died.
        job.started_at = utcnow() - dt.timedelta(seconds=POISON.lease + 5)
        get_session().commit()

    out = _hub(pg_database_url, redis_url, "sweep")
    assert "re-dispatched 0 jobs" in out  # given up, not sent a fourth time
    job = _job(job_id)
    assert (job.status, job.attempts, job.lost_attempts) == ("failed", 3, 3)
    assert job.last_error == "the job stopped its worker 3 times"
    case = queries.get_case(got.case.id)
    assert (case.status, case.disposition) == ("open", "escalated")
    [failed] = [e for e in queries.events(case.id) if e.kind == "job_failed"]
    assert "'test_poison'" in failed.reason and "the job stopped its worker 3 times" in failed.reason

    # Another worker (and its own sweep) leaves the failed job alone.
    _hub(pg_database_url, redis_url, "worker", "--burst")
    assert len(marker.read_text().split()) == 3
    assert _job(job_id).status == "failed"
