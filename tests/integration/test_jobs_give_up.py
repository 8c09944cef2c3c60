"""A job that gives up hands its case to advisers near the top of the queue, and tells the
citizen their reference if nothing else ever did (in-process jobs, both backends)."""
from __future__ import annotations

import pytest

from hub.cases import queries
from hub.cases.models import PRIORITIES
from hub.cases.service import escalate_after_failure, receive_contact
from hub.db import get_session, utcnow
from hub.jobs import registry
from hub.jobs.dispatch import commit_and_dispatch, enqueue, take_new
from hub.jobs.registry import TaskSpec
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
