"""Two attempts at the same job or message at the same time: the citizen gets one text.

Each attempt runs in its own thread and app context (its own session and connection), as
two RQ workers or the sweep and a worker would. The sender stands in for the provider at
its boundary: it counts calls, and the first one blocks until the test lets it go, so the
second attempt really happens while the first is at the provider.
"""
from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import select

from hub.cases import queries
from hub.cases.service import receive_contact
from hub.db import get_session, utcnow
from hub.jobs import runner
from hub.jobs.dispatch import sweep, take_new
from hub.jobs.models import OutboxJob
from hub.messaging.service import DeliveryInProgress, deliver, register_sender, send_reply

PHONE = "+447700900321"


class BlockingSender:
    """A provider whose first send hangs until released (later sends return at once)."""

    def __init__(self) -> None:
        self.calls: list[int] = []
        self.entered = threading.Event()
        self.release = threading.Event()

    def __call__(self, message, case) -> str:
        self.calls.append(message.id)
        if len(self.calls) == 1:
            self.entered.set()
            assert self.release.wait(20), "the test never released the first send"
        return f"SM{len(self.calls):032d}"


@pytest.fixture
def sending(pg_app):
    """A committed reply on an SMS case, its send job not yet run, and a blocking sender."""
    sender = BlockingSender()
    register_sender(pg_app, "sms", sender)
    got = receive_contact(channel="sms", body="I have a question about my account", phone=PHONE, sender=PHONE)
    msg = send_reply(got.case, "An adviser will call you back.", key="test-reply")
    get_session().commit()
    take_new()  # not dispatched: each test runs the attempts itself
    job_id = get_session().scalars(select(OutboxJob.id).where(OutboxJob.key == "test-reply")).one()
    return pg_app, sender, got.case.id, msg.id, job_id


def _in_thread(app, fn, *args):
    """Run fn in another thread inside its own app context; returns (thread, results)."""
    results: list = []

    def target() -> None:
        with app.app_context():
            try:
                results.append(fn(*args))
            except BaseException as exc:  # reported by the test, not lost in the thread
                results.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    return thread, results


def _finish(sender, thread, results) -> None:
    sender.release.set()
    thread.join(30)
    assert not thread.is_alive()
    assert results == ["done"], results


def test_second_attempt_of_a_running_send_job_sends_nothing(sending):
    app, sender, case_id, message_id, job_id = sending
    thread, results = _in_thread(app, runner.run_inline, job_id)
    try:
        assert sender.entered.wait(20)
        # A second worker (or a sweep) runs the same job while the first is at the provider.
        with app.app_context():
            assert runner.run_inline(job_id) == "skipped"
        assert sender.calls == [message_id]
    finally:
        _finish(sender, thread, results)
    assert sender.calls == [message_id]
    get_session().expire_all()
    job = get_session().get(OutboxJob, job_id)
    assert (job.status, job.attempts) == ("done", 1)
    msg = queries.get_message(message_id)
    assert (msg.delivery_status, msg.provider_id) == ("sent", "SM" + "1".rjust(32, "0"))


def test_second_delivery_of_a_message_being_sent_sends_nothing(sending):
    """Even past the job's claim (another job, a lease taken over), the message is claimed."""
    app, sender, case_id, message_id, job_id = sending
    thread, results = _in_thread(app, runner.run_inline, job_id)
    try:
        assert sender.entered.wait(20)
        with app.app_context():
            with pytest.raises(DeliveryInProgress):
                deliver(case_id=case_id, message_id=message_id)
            get_session().rollback()
        assert sender.calls == [message_id]
    finally:
        _finish(sender, thread, results)
    assert sender.calls == [message_id]
    assert queries.get_message(message_id).delivery_status == "sent"


def test_sweep_leaves_a_running_job_alone_until_its_lease_expires(sending):
    app, sender, case_id, message_id, job_id = sending
    thread, results = _in_thread(app, runner.run_inline, job_id)
    try:
        assert sender.entered.wait(20)
        with app.app_context():
            job = get_session().get(OutboxJob, job_id)
            job.created_at = job.dispatched_at = utcnow() - dt.timedelta(hours=1)
            get_session().commit()
            assert sweep() == 0  # the new triage job is not yet due either
    finally:
        _finish(sender, thread, results)
    assert sender.calls == [message_id]


def test_a_send_interrupted_mid_call_is_sent_again_after_its_lease(pg_app):
    """The process died after marking the message "sending": a duplicate beats a loss."""
    sent: list[int] = []
    register_sender(pg_app, "sms", lambda message, case: sent.append(message.id) or "SM" + "9" * 32)
    got = receive_contact(channel="sms", body="I have a question about my account", phone=PHONE, sender=PHONE)
    msg = send_reply(got.case, "An adviser will call you back.", key="test-reply")
    get_session().commit()
    take_new()
    job = get_session().scalars(select(OutboxJob).where(OutboxJob.key == "test-reply")).one()
    long_ago = utcnow() - dt.timedelta(minutes=10)
    job.status, job.attempts, job.started_at, job.dispatched_at = "running", 1, long_ago, long_ago
    message = queries.get_message(msg.id)
    message.delivery_status, message.send_started_at = "sending", long_ago
    get_session().commit()
    assert sweep() == 1
    get_session().expire_all()
    assert sent == [msg.id]
    assert queries.get_message(msg.id).delivery_status == "sent"
    assert get_session().get(OutboxJob, job.id).status == "done"


def test_giving_up_while_another_attempt_is_sending_leaves_the_message_alone(sending):
    """Retries spent waiting on an attempt at the provider must not mark its message failed."""
    from hub.messaging.service import give_up

    app, sender, case_id, message_id, job_id = sending
    thread, results = _in_thread(app, runner.run_inline, job_id)
    try:
        assert sender.entered.wait(20)
        with app.app_context():
            give_up(task="send_message", args={"message_id": message_id}, case_id=case_id,
                    error="DeliveryInProgress: being sent")
            get_session().commit()
    finally:
        _finish(sender, thread, results)
    get_session().expire_all()
    assert queries.get_message(message_id).delivery_status == "sent"
    assert "delivery_failed" not in [e.kind for e in queries.events(case_id)]
