"""Outbound texts with the real Twilio client against a stub API on 127.0.0.1."""
from __future__ import annotations

import dataclasses

from sqlalchemy import select

from fixtures.twilio_stub import HUB_NUMBER, PUBLIC_URL, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, sign
from hub.cases import queries
from hub.cases.service import receive_contact
from hub.citizens.models import Citizen
from hub.db import get_session
from hub.jobs import registry
from hub.jobs.dispatch import commit_and_dispatch
from hub.jobs.models import OutboxJob
from hub.messaging.service import send_reply

PHONE = "+447700900123"
STATUS_PATH = "/channels/sms/twilio/status"


def _case(body: str = "I have a question about my account"):
    """A case raised by text (its triage reply is the first outbound text)."""
    got = receive_contact(channel="sms", body=body, phone=PHONE, sender=PHONE, provider_id="SM" + "c" * 32)
    commit_and_dispatch()
    return got.case


def _reply(case, text: str):
    msg = send_reply(case, text)
    commit_and_dispatch()
    get_session().expire_all()
    return next(m for m in queries.messages(case.id) if m.id == msg.id)


def _job(message_id: int) -> OutboxJob:
    get_session().expire_all()
    return get_session().scalars(select(OutboxJob).where(OutboxJob.key == f"deliver:{message_id}")).one()


def test_reply_is_sent_with_the_sid_stored(sms_app, twilio_stub):
    case = _case()
    msg = _reply(case, "Your council tax account has been updated.")
    assert msg.delivery_status == "sent" and msg.provider_id and msg.provider_id.startswith("SM")
    sent = twilio_stub.messages[-1]
    assert sent.path == f"/2010-04-01/Accounts/{TEST_ACCOUNT_SID}/Messages.json"
    assert sent.form["To"] == PHONE and sent.form["From"] == HUB_NUMBER
    assert sent.form["Body"] == "Your council tax account has been updated."
    assert sent.form["StatusCallback"] == PUBLIC_URL + STATUS_PATH
    assert sent.authorization and sent.authorization.startswith("Basic ")


def test_messaging_service_sender_and_plain_characters(database_url, twilio_stub, new_app):
    app = new_app(database_url, TWILIO_ACCOUNT_SID=TEST_ACCOUNT_SID, TWILIO_AUTH_TOKEN=TEST_AUTH_TOKEN,
                  TWILIO_FROM="MG" + "1" * 32, TWILIO_API_BASE_URL=twilio_stub.base_url)
    with app.app_context():
        case = _case()
        _reply(case, "We\u2019ll collect it on Monday \u2013 thank you. " + "word " * 400)
    sent = twilio_stub.messages[-1].form
    assert sent["MessagingServiceSid"] == "MG" + "1" * 32 and "From" not in sent
    assert "StatusCallback" not in sent  # no public URL, no callback
    assert sent["Body"].startswith("We'll collect it on Monday - thank you.")
    assert len(sent["Body"]) <= 1600 and sent["Body"].endswith("[...]")


def test_transient_errors_are_retried_by_the_job(sms_app, twilio_stub):
    case = _case()
    twilio_stub.respond(twilio_stub.error(500, 20500, "Internal Server Error"),
                        twilio_stub.error(429, 20429, "Too Many Requests"))
    msg = _reply(case, "Your missed bin will be collected tomorrow.")
    assert msg.delivery_status == "sent" and msg.provider_id
    assert _job(msg.id).attempts == 3
    assert [r.form["Body"] for r in twilio_stub.messages[-3:]] == [msg.body] * 3


def test_transient_errors_on_every_attempt_give_up_and_tell_advisers(sms_app, twilio_stub):
    case = _case()
    twilio_stub.respond(*[twilio_stub.error(503, 20503, "Service Unavailable")] * 4)
    msg = _reply(case, "Your missed bin will be collected tomorrow.")
    assert msg.delivery_status == "failed" and "503" in msg.delivery_error
    assert _job(msg.id).status == "failed"
    assert "delivery_failed" in [e.kind for e in queries.events(case.id)]


def test_permanent_error_is_recorded_and_not_retried(sms_app, twilio_stub):
    case = _case()
    before = len(twilio_stub.messages)
    twilio_stub.respond(twilio_stub.error(400, 21211, "The 'To' number is not a valid phone number."))
    msg = _reply(case, "An officer will call you.")
    assert msg.delivery_status == "failed"
    assert "21211" in msg.delivery_error and "not a valid phone number" in msg.delivery_error
    assert len(twilio_stub.messages) == before + 1
    assert _job(msg.id).attempts == 1


def test_unsubscribed_at_twilio_marks_the_citizen_opted_out(sms_app, twilio_stub):
    case = _case()
    twilio_stub.respond(twilio_stub.error(400, 21610, "Attempt to send to unsubscribed recipient"))
    msg = _reply(case, "An officer will call you.")
    assert msg.delivery_status == "failed" and "opted out" in msg.delivery_error
    assert get_session().scalars(select(Citizen.sms_opted_out)).all() == [True]
    before = len(twilio_stub.messages)
    assert _reply(case, "Another update.").delivery_status == "failed"
    assert len(twilio_stub.messages) == before


def _callback(client, params):
    return client.post(STATUS_PATH, data=params, headers={"X-Twilio-Signature": sign(params, STATUS_PATH)})


def test_delivery_callbacks_move_forward_only(sms_app, twilio_stub):
    case = _case()
    msg = _reply(case, "Your case is resolved.")
    client = sms_app.test_client()
    base = {"MessageSid": msg.provider_id, "AccountSid": TEST_ACCOUNT_SID, "To": PHONE, "From": HUB_NUMBER}
    assert client.post(STATUS_PATH, data={**base, "MessageStatus": "delivered"}).status_code == 403
    assert _callback(client, {**base, "MessageStatus": "delivered"}).get_data(as_text=True) == "updated"
    assert _callback(client, {**base, "MessageStatus": "delivered"}).get_data(as_text=True) == "unchanged"
    assert _callback(client, {**base, "MessageStatus": "sent"}).get_data(as_text=True) == "unchanged"
    assert _callback(client, {**base, "MessageStatus": "failed", "ErrorCode": "30003"}).status_code == 200
    get_session().expire_all()
    msg = next(m for m in queries.messages(case.id) if m.id == msg.id)
    assert msg.delivery_status == "delivered" and msg.delivery_error is None
    unknown = _callback(client, {**base, "MessageSid": "SM" + "f" * 32, "MessageStatus": "delivered"})
    assert (unknown.status_code, unknown.get_data(as_text=True)) == (200, "unknown")


def test_undelivered_callback_records_the_error_code(sms_app, twilio_stub):
    case = _case()
    msg = _reply(case, "Your case is resolved.")
    params = {"MessageSid": msg.provider_id, "AccountSid": TEST_ACCOUNT_SID, "MessageStatus": "undelivered",
              "ErrorCode": "30005"}
    assert _callback(sms_app.test_client(), params).status_code == 200
    get_session().expire_all()
    msg = next(m for m in queries.messages(case.id) if m.id == msg.id)
    assert msg.delivery_status == "undelivered" and "30005" in msg.delivery_error
    assert "delivery_failed" in [e.kind for e in queries.events(case.id)]


def test_without_credentials_texts_are_logged_not_sent(app, twilio_stub):
    case = _case()
    msg = _reply(case, "Hello")
    assert msg.delivery_status == "logged" and msg.provider_id is None
    assert twilio_stub.requests == []


def _work() -> None:
    """A real RQ worker in this thread (as RQ requires) until nothing is queued or scheduled."""
    import time

    from rq import SimpleWorker

    from hub.jobs import rq_backend

    for _ in range(8):
        SimpleWorker(rq_backend.all_queues(), connection=rq_backend.connection()).work(burst=True, with_scheduler=True)
        if not any(q.count or len(q.scheduled_job_registry) for q in rq_backend.all_queues()):
            return
        time.sleep(1.1)


def test_transient_error_retried_by_a_real_rq_worker(database_url, redis_url, twilio_stub, new_app, monkeypatch):
    from hub.jobs import rq_backend

    fast = dataclasses.replace(registry.TASKS["send_message"], retry_intervals=(0, 0))
    monkeypatch.setitem(registry.TASKS, "send_message", fast)
    app = new_app(database_url, REDIS_URL=redis_url, TWILIO_ACCOUNT_SID=TEST_ACCOUNT_SID,
                  TWILIO_AUTH_TOKEN=TEST_AUTH_TOKEN, TWILIO_FROM=HUB_NUMBER,
                  TWILIO_API_BASE_URL=twilio_stub.base_url)
    try:
        with app.app_context():
            case = _case()
            _work()
            twilio_stub.respond(twilio_stub.error(502, 20502, "Bad Gateway"))
            msg = _reply(case, "Your bulky waste collection is booked.")
            assert msg.delivery_status == "queued"  # nothing ran in this process
            _work()
            get_session().expire_all()
            msg = next(m for m in queries.messages(case.id) if m.id == msg.id)
            assert msg.delivery_status == "sent" and msg.provider_id
            assert _job(msg.id).attempts == 2
    finally:
        rq_backend._redis.cache_clear()
