"""Outbound email through a real SMTP server: permanent and retryable failures, logging without SMTP."""
from __future__ import annotations

import smtplib

import pytest
from sqlalchemy import select

from channels.email.outbound import send
from hub.cases.models import Message
from hub.cases.service import receive_contact
from hub.db import get_session
from hub.jobs.dispatch import commit_and_dispatch
from hub.jobs.models import OutboxJob
from hub.messaging.service import PermanentDeliveryError, send_reply


def _case(address: str):
    got = receive_contact(channel="email", body="I have a question about my council tax band",
                          subject="Council tax band", sender=address, email=address,
                          provider_id=f"<q.{address}>")
    commit_and_dispatch()
    return got.case


@pytest.fixture
def smtp_app(database_url, new_app, smtp_server):
    app = new_app(database_url, **smtp_server.env)
    with app.app_context():
        yield app


def test_refused_for_good_is_permanent_and_not_retried(smtp_app, smtp_server):
    smtp_server.refuse["gone@example.org"] = "550 5.1.1 No such user"
    case = _case("gone@example.org")
    get_session().expire_all()
    [reply] = get_session().scalars(select(Message).where(Message.direction == "outbound")).all()
    assert reply.delivery_status == "failed" and "550" in reply.delivery_error
    job = get_session().scalars(select(OutboxJob).where(OutboxJob.task == "send_message")).one()
    assert (job.status, job.attempts) == ("done", 1)
    with pytest.raises(PermanentDeliveryError):
        send(reply, case)


def test_temporary_refusal_is_retried(smtp_app, smtp_server):
    smtp_server.refuse["full@example.org"] = "452 4.2.2 Mailbox full"
    case = _case("full@example.org")
    get_session().expire_all()
    job = get_session().scalars(select(OutboxJob).where(OutboxJob.task == "send_message")).one()
    assert (job.status, job.attempts) == ("failed", 4)  # every retry was tried, then advisers told
    reply = get_session().scalars(select(Message).where(Message.direction == "outbound")).one()
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send(reply, case)


def test_unreachable_server_is_retryable(database_url, new_app):
    from fixtures.mail import free_port

    app = new_app(database_url, SMTP_HOST="127.0.0.1", SMTP_PORT=str(free_port()))
    with app.app_context():
        case = _case("someone@example.org")
        reply = get_session().scalars(select(Message).where(Message.direction == "outbound")).one()
        with pytest.raises(OSError):
            send(reply, case)


def test_adviser_reply_is_not_marked_automatic(smtp_app, smtp_server):
    from hub.users.service import add_user

    case = _case("asker@example.org")
    adviser = add_user("adviser@wcc.example.org", "a long enough password 1", "adviser", ["WCC"])
    get_session().flush()
    send_reply(case, "Your band is C; I have attached the valuation details.", author_id=adviser.id)
    commit_and_dispatch()
    ack, answer = smtp_server.to("asker@example.org")
    assert ack["Auto-Submitted"] == "auto-replied"
    assert answer["Auto-Submitted"] is None and answer["In-Reply-To"] == "<q.asker@example.org>"
    assert case.reference in answer["Subject"] and "Your band is C" in answer.get_body(("plain",)).get_content()


def test_without_smtp_mail_is_logged_and_recorded(app):
    case = _case("nosmtp@example.org")
    get_session().expire_all()
    reply = get_session().scalars(select(Message).where(Message.direction == "outbound",
                                                        Message.case_id == case.id)).one()
    assert reply.delivery_status == "logged" and reply.recipient == "nosmtp@example.org"


def test_smtp_login_is_used_when_configured(database_url, new_app):
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    from fixtures.mail import SmtpServer, _Recorder, free_port

    server = SmtpServer("127.0.0.1", free_port())
    seen: list[bytes] = []

    def authenticator(srv, session, envelope, mechanism, auth_data):
        seen.append(auth_data.login)
        return AuthResult(success=auth_data.login == b"hub" and auth_data.password == b"s3cret")

    controller = Controller(_Recorder(server), hostname=server.host, port=server.port,
                            authenticator=authenticator, auth_require_tls=False)
    controller.start()
    try:
        app = new_app(database_url, **server.env, SMTP_USERNAME="hub", SMTP_PASSWORD="s3cret")
        with app.app_context():
            _case("auth@example.org")
        assert seen == [b"hub"] and len(server.to("auth@example.org")) == 1
    finally:
        controller.stop()


def test_automatic_mail_never_goes_to_robots_or_ourselves(smtp_app, smtp_server):
    for address in ("noreply@example.org", "contact@hub.example.org"):
        _case(address)
    assert smtp_server.received == []
    get_session().expire_all()
    refused = get_session().scalars(select(Message).where(Message.direction == "outbound")).all()
    assert [m.delivery_status for m in refused] == ["failed", "failed"]
