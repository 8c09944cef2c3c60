"""The Redis-backed dispatcher with a real RQ worker: same outcome as in-process, retries,
give-up escalation, and nothing lost while Redis is down."""
from __future__ import annotations

import threading
import time

import pytest
from rq import SimpleWorker
from sqlalchemy import func, select

from hub.cases import queries
from hub.cases.service import receive_contact
from hub.db import get_session
from hub.jobs import registry, rq_backend
from hub.jobs.dispatch import commit_and_dispatch, enqueue, sweep
from hub.jobs.models import OutboxJob
from hub.jobs.registry import TaskSpec

CALLS: list[int] = []


def flaky(case_id: int, fail_times: int) -> None:
    """A task that fails its first `fail_times` attempts (counted in the outbox row)."""
    CALLS.append(case_id)
    job = get_session().scalars(select(OutboxJob).where(OutboxJob.case_id == case_id, OutboxJob.task == "test_flaky")).one()
    if job.attempts <= fail_times:
        raise ConnectionError(f"transient failure {job.attempts}")


RELEASE = threading.Event()
STARTED = threading.Event()


def blocking(case_id: int) -> None:
    """A task that holds its attempt open until the test releases it."""
    CALLS.append(case_id)
    STARTED.set()
    assert RELEASE.wait(20), "never released"


@pytest.fixture
def rq_app(database_url, redis_url, new_app):
    app = new_app(database_url, REDIS_URL=redis_url)
    registry.register("test_flaky", TaskSpec("test_jobs_rq:flaky", retry_intervals=(0, 0)))
    registry.register("test_blocking", TaskSpec("test_jobs_rq:blocking", retry_intervals=()))
    with app.app_context():
        yield app
    registry.TASKS.pop("test_flaky", None)
    registry.TASKS.pop("test_blocking", None)
    rq_backend._redis.cache_clear()


def work(app, timeout: float = 30.0, *, drain: bool = True) -> None:
    """Run a real worker (in this thread, as RQ requires) until no job is left to do.

    "Left to do" is read from the outbox (pending or running), not from the queues: a chained
    job (triage -> report log -> reply) or a retry waiting for the scheduler may not be on a
    queue at the moment the worker looks. Bounded in time, so a job never sent still fails.
    """
    deadline = time.monotonic() + timeout
    while True:
        SimpleWorker(rq_backend.all_queues(), connection=rq_backend.connection()).work(
            burst=True, with_scheduler=True)
        if not drain:  # one burst only (a test holding a job elsewhere on purpose)
            return
        get_session().rollback()  # read the outbox as it is now
        left = get_session().scalar(select(func.count()).select_from(OutboxJob)
                                    .where(OutboxJob.status.in_(("pending", "running"))))
        if not left or time.monotonic() > deadline:
            return
        time.sleep(0.5)


def _reload(case_id):
    get_session().expire_all()
    return queries.get_case(case_id)


def test_same_outcome_on_rq_as_in_process(rq_app):
    got = receive_contact(channel="web", body="big pothole outside 4 Church Street WR14 3AB", email="a@example.org")
    commit_and_dispatch()
    assert _reload(got.case.id).status == "new"  # nothing ran in this process
    work(rq_app)
    case = _reload(got.case.id)
    # A pothole with a postcode is logged by the street-report workflow (self-served).
    assert (case.service_code, case.authority_code, case.status) == ("roads.pothole", "WCC", "resolved")
    statuses = get_session().scalars(select(OutboxJob.status)).all()
    assert statuses and set(statuses) == {"done"}


def test_failing_job_is_retried_then_succeeds(rq_app):
    CALLS.clear()
    got = receive_contact(channel="web", body="I have a question")
    commit_and_dispatch()
    enqueue("test_flaky", case_id=got.case.id, fail_times=1)
    commit_and_dispatch()
    work(rq_app)
    job = get_session().scalars(select(OutboxJob).where(OutboxJob.task == "test_flaky")).one()
    assert (job.status, job.attempts) == ("done", 2)
    assert CALLS.count(got.case.id) == 2


def test_job_failing_every_attempt_escalates_the_case(rq_app):
    got = receive_contact(channel="web", body="I have a question")
    get_session().flush()
    enqueue("test_flaky", case_id=got.case.id, fail_times=99)
    commit_and_dispatch()
    work(rq_app)
    job = get_session().scalars(select(OutboxJob).where(OutboxJob.task == "test_flaky")).one()
    assert (job.status, job.attempts, job.lost_attempts) == ("failed", 3, 0)  # each attempt counted once
    assert job.last_error == "ConnectionError: transient failure 3"
    case = _reload(got.case.id)
    assert case.status == "open" and case.authority_code is not None
    failed = [e for e in queries.events(case.id) if e.kind == "job_failed"]
    assert len(failed) == 1 and "test_flaky" in failed[0].reason


def test_redis_outage_delays_but_loses_nothing(database_url, redis_url, new_app):
    down = new_app(database_url, REDIS_URL="redis://127.0.0.1:1/0")
    with down.app_context():
        got = receive_contact(channel="web", body="street light out on my road WR1 1AB")
        commit_and_dispatch()  # Redis refuses: the job stays in the outbox
        case_id = got.case.id
        assert get_session().scalars(select(OutboxJob.status)).all() == ["pending"]
    up = new_app(database_url, REDIS_URL=redis_url)
    with up.app_context():
        assert sweep(older_than=__import__("datetime").timedelta(0)) == 1
        work(up)
        assert _reload(case_id).authority_code == "WCC"
    rq_backend._redis.cache_clear()


def test_running_a_job_twice_does_nothing_more(rq_app):
    from hub.jobs.runner import run

    got = receive_contact(channel="web", body="dog barking all day WR1 1AB")
    commit_and_dispatch()
    work(rq_app)
    job_id = get_session().scalars(select(OutboxJob.id).where(OutboxJob.task == "triage")).one()
    events_before = len(queries.events(got.case.id))
    assert run(job_id) == "skipped"
    assert len(queries.events(got.case.id)) == events_before


def test_a_job_already_running_elsewhere_is_skipped_by_the_worker(rq_app):
    """Another worker holds the job (it is "running", lease fresh) when RQ hands it out again."""
    from hub.jobs.runner import run

    CALLS.clear()
    STARTED.clear()
    RELEASE.clear()
    got = receive_contact(channel="web", body="I have a question")
    get_session().flush()
    job_id = enqueue("test_blocking", case_id=got.case.id)
    commit_and_dispatch()  # on the RQ queue now
    results: list = []

    def first_worker() -> None:
        with rq_app.app_context():
            results.append(run(job_id))

    thread = threading.Thread(target=first_worker)
    thread.start()
    try:
        assert STARTED.wait(20)
        work(rq_app, drain=False)  # the queued copy of the same job, while the first attempt is running
        assert CALLS == [got.case.id]
    finally:
        RELEASE.set()
        thread.join(30)
    assert results == ["done"] and CALLS == [got.case.id]
    get_session().expire_all()
    job = get_session().get(OutboxJob, job_id)
    assert (job.status, job.attempts) == ("done", 1)


def test_job_of_a_crashed_worker_is_swept_and_finished(rq_app):
    """A worker killed mid-job leaves the outbox row "running"; the sweep sends it again."""
    import datetime as dt

    from hub.db import utcnow

    got = receive_contact(channel="web", body="noise from the pub every night WR1 1AB")
    get_session().flush()
    job = get_session().scalars(select(OutboxJob).where(OutboxJob.task == "triage")).one()
    old = utcnow() - dt.timedelta(minutes=10)
    job.status, job.attempts, job.created_at, job.dispatched_at = "running", 1, old, old
    get_session().commit()
    get_session().info.pop("hub.outbox.new", None)  # as if the process died before dispatching
    assert sweep(older_than=dt.timedelta(minutes=5)) == 1
    work(rq_app)
    assert _reload(got.case.id).status == "open"


def test_hub_worker_command_processes_the_queues(pg_database_url, redis_url, new_app):
    """The real `hub worker --burst` (forking RQ worker) in its own process, on PostgreSQL."""
    import os
    import subprocess
    import sys

    app = new_app(pg_database_url, REDIS_URL=redis_url)
    with app.app_context():
        got = receive_contact(channel="web", body="street light out on my road WR1 1AB")
        commit_and_dispatch()
        case_id = got.case.id
    from fixtures.app import TEST_ENV

    env = {**os.environ, **TEST_ENV, "DATABASE_URL": pg_database_url, "REDIS_URL": redis_url}
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "hub", "worker", "--burst"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    with app.app_context():
        case = queries.get_case(case_id)
        assert (case.service_code, case.authority_code) == ("roads.street_light", "WCC")
