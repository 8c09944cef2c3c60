"""Workflow jobs on a real RQ worker and real Redis: a report is logged once, and a job that
keeps failing is retried, then its case goes to advisers with the reason."""
from __future__ import annotations

import time

import pytest
from rq import SimpleWorker
from sqlalchemy import select

from hub.cases import queries
from hub.cases.service import receive_contact
from hub.db import get_session
from hub.jobs import registry, rq_backend
from hub.jobs.dispatch import commit_and_dispatch, enqueue
from hub.jobs.models import OutboxJob
from hub.jobs.registry import TaskSpec


@pytest.fixture
def rq_app(database_url, redis_url, new_app):
    app = new_app(database_url, REDIS_URL=redis_url)
    # The real workflow job, with retries short enough for a test.
    registry.register("test_missed_bin_log", TaskSpec("workflows.missed_bin:log_report", retry_intervals=(0, 0)))
    with app.app_context():
        yield app
    registry.TASKS.pop("test_missed_bin_log", None)
    rq_backend._redis.cache_clear()


def work(rounds: int = 8) -> None:
    """A real worker in this thread (as RQ requires), until nothing is queued or scheduled."""
    for _ in range(rounds):
        SimpleWorker(rq_backend.all_queues(), connection=rq_backend.connection()).work(burst=True, with_scheduler=True)
        if not any(q.count for q in rq_backend.all_queues()):
            if not sum(len(q.scheduled_job_registry) for q in rq_backend.all_queues()):
                return
            time.sleep(1.1)


def _reload(case_id):
    get_session().expire_all()
    return queries.get_case(case_id)


def test_street_report_is_logged_by_the_worker(rq_app):
    got = receive_contact(channel="web", body="big pothole outside 4 Church Street WR14 3AB", email="a@example.org",
                          chosen_service="roads.pothole")
    commit_and_dispatch()
    work()
    case = _reload(got.case.id)
    assert (case.status, case.disposition, case.location_text) == ("resolved", "self_served", "4 Church Street")
    assert [e.kind for e in queries.events(case.id)].count("street_report_logged") == 1
    tasks = dict(get_session().execute(select(OutboxJob.task, OutboxJob.status)).all())
    assert tasks["street_report_log"] == "done"


def test_failing_workflow_job_is_retried_then_escalated_with_the_reason(rq_app):
    # A bin-day answer has no missed-bin report: the missed-bin job fails on every attempt.
    got = receive_contact(channel="web", body="when is my bin collected WR14 3AB", email="b@example.org",
                          chosen_service="waste.bin_day")
    commit_and_dispatch()
    work()
    assert _reload(got.case.id).status == "resolved"
    enqueue("test_missed_bin_log", case_id=got.case.id, key="failing")
    commit_and_dispatch()
    work()
    job = get_session().scalars(select(OutboxJob).where(OutboxJob.task == "test_missed_bin_log")).one()
    assert (job.status, job.attempts) == ("failed", 3)
    case = _reload(got.case.id)
    assert (case.status, case.disposition, case.self_served) == ("open", "escalated", False)
    [failed] = [e for e in queries.events(case.id) if e.kind == "job_failed"]
    assert "test_missed_bin_log" in failed.reason and "no missed_bin decision" in failed.reason
