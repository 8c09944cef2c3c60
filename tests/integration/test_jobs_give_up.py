"""A job that gives up hands its case to advisers near the top of the queue, and tells the
citizen their reference if nothing else ever did (in-process jobs, both backends)."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from hub.cases import queries
from hub.cases.models import PRIORITIES
from hub.cases.service import escalate_after_failure, receive_contact
from hub.db import get_session, utcnow
from hub.jobs import registry
from hub.jobs.dispatch import commit_and_dispatch, enqueue, sweep, take_new
from hub.jobs.models import OutboxJob
from hub.jobs.registry import TaskSpec
from hub.jobs.runner import run_inline
from hub.partnership.calendar import WorkingCalendar
from hub.partnership.service import current


def broken(case_id: int) -> None:
    raise ConnectionError("the classifier service is unreachable")


@pytest.fixture
def broken_task(app):
    registry.register("test_broken", TaskSpec("test_jobs_give_up:broken", retry_intervals=(0,)))
    yield "test_broken"
    registry.TASKS.pop("test_broken", None)


def _outbound(case_id: int) -> list[str]:
    get_session().expire_all()
    return [m.body for m in queries.messages(case_id) if m.direction == "outbound"]


def test_a_case_whose_job_gave_up_gets_an_sla_high_priority_and_a_holding_reply(app, broken_task):
    got = receive_contact(channel="sms", body="I have a question about my account", phone="+447700900241")
    get_session().commit()
    take_new()  # triage never runs: the only job is the broken one
    before = utcnow()
    enqueue(broken_task, case_id=got.case.id)
    commit_and_dispatch()
    after = utcnow()
    get_session().expire_all()
    case = queries.get_case(got.case.id)
    assert (case.status, case.disposition, case.authority_code) == ("open", "escalated", "HUB")
    assert case.priority == PRIORITIES["high"]
    calendar = WorkingCalendar(current())
    assert calendar.add_working_hours(before, 16) <= case.sla_due_at <= calendar.add_working_hours(after, 16)
    replies = _outbound(case.id)
    assert len(replies) == 1 and case.reference in replies[0] and "adviser" in replies[0]
    # Giving up again (another job of the same case) sends nothing more.
    escalate_after_failure(task=broken_task, args={}, case_id=case.id, error="again")
    commit_and_dispatch()
    assert len(_outbound(case.id)) == 1


def test_no_holding_reply_when_the_citizen_was_already_answered(app, broken_task):
    got = receive_contact(channel="sms", body="I have a question about my account", phone="+447700900242")
    commit_and_dispatch()  # triaged and answered
    answered = _outbound(got.case.id)
    assert answered
    urgent = queries.get_case(got.case.id)
    urgent.priority = PRIORITIES["urgent"]
    get_session().commit()
    enqueue(broken_task, case_id=got.case.id)
    commit_and_dispatch()
    get_session().expire_all()
    case = queries.get_case(got.case.id)
    assert _outbound(case.id) == answered
    assert case.priority == PRIORITIES["urgent"]  # never lowered
    assert case.sla_due_at is not None


# -- attempts whose worker died ---------------------------------------------------------
RUNS: list[int] = []


def counted(case_id: int) -> None:
    RUNS.append(case_id)


@pytest.fixture
def counted_task(app):
    RUNS.clear()
    registry.register("test_counted", TaskSpec("test_jobs_give_up:counted", retry_intervals=(0, 0)))
    yield "test_counted"
    registry.TASKS.pop("test_counted", None)


def _held_by_a_dead_worker(task: str, attempts: int, lost: int) -> tuple[int, int]:
    """A job left "running" by an attempt whose process died long ago (its lease ran out)."""
    got = receive_contact(channel="sms", body="I have a question about my account", phone="+447700900243")
    get_session().commit()
    take_new()  # triage never runs here
    job_id = enqueue(task, case_id=got.case.id)
    get_session().commit()
    take_new()
    job = get_session().scalars(select(OutboxJob).where(OutboxJob.id == job_id)).one()
    long_ago = utcnow() - dt.timedelta(hours=1)
    job.status, job.attempts, job.lost_attempts = "running", attempts, lost
    job.started_at = job.dispatched_at = job.created_at = long_ago
    get_session().commit()
    return got.case.id, job_id


def _job(job_id: int):
    get_session().expire_all()
    return get_session().get(OutboxJob, job_id)


def test_a_job_whose_worker_died_on_its_last_attempt_is_given_up_by_the_sweep(app, counted_task):
    case_id, job_id = _held_by_a_dead_worker(counted_task, attempts=3, lost=2)
    assert sweep() == 0  # not sent again: given up
    job = _job(job_id)
    assert (job.status, job.attempts, job.lost_attempts) == ("failed", 3, 3)
    assert job.last_error == "the job stopped its worker 3 times"
    assert RUNS == []
    case = queries.get_case(case_id)
    assert (case.status, case.disposition) == ("open", "escalated")
    [failed] = [e for e in queries.events(case_id) if e.kind == "job_failed"]
    assert "test_counted" in failed.reason and "the job stopped its worker 3 times" in failed.reason
    assert sweep() == 0 and len([e for e in queries.events(case_id) if e.kind == "job_failed"]) == 1


def test_the_next_attempt_gives_up_a_job_with_no_attempts_left_instead_of_running_it(app, counted_task):
    case_id, job_id = _held_by_a_dead_worker(counted_task, attempts=3, lost=0)
    assert run_inline(job_id) == "failed"
    assert RUNS == []
    job = _job(job_id)
    assert (job.status, job.lost_attempts, job.last_error) == ("failed", 1, "the job stopped its worker 1 time")
    assert run_inline(job_id) == "skipped"


def test_a_lease_taken_over_counts_the_dead_attempt_once(app, counted_task):
    """The sweep resends a job its dead worker held: one lost attempt, then it runs and is done."""
    case_id, job_id = _held_by_a_dead_worker(counted_task, attempts=1, lost=0)
    assert sweep() == 1  # in-process: re-sent and run at once
    job = _job(job_id)
    assert (job.status, job.attempts, job.lost_attempts) == ("done", 2, 1)
    assert RUNS == [case_id]


def test_a_raised_error_and_a_dead_worker_both_show_in_the_reason(app, broken_task):
    case_id, job_id = _held_by_a_dead_worker(broken_task, attempts=1, lost=0)
    assert sweep() == 1  # attempt 2 (of 2) raises; the in-process runner gives up
    job = _job(job_id)
    assert (job.status, job.attempts, job.lost_attempts) == ("failed", 2, 1)
    assert job.last_error == ("the job stopped its worker 1 time; another attempt failed with "
                              "ConnectionError: the classifier service is unreachable")
