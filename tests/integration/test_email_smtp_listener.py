"""`hub email smtp`: a real SMTP conversation with the listener, answered through a real SMTP server."""
from __future__ import annotations

import smtplib

import pytest
from sqlalchemy import func, select

from channels.email.models import InboundEmail
from channels.email.smtp_server import make_controller
from fixtures.app import TEST_ENV
from fixtures.mail import eml, free_port, oversize
from hub.cases.models import Case
from hub.db import get_session

JANE = "jane.resident@example.org"


@pytest.fixture
def listener(database_url, new_app, smtp_server):
    app = new_app(database_url, **smtp_server.env)
    port = free_port()
    controller = make_controller(app, "127.0.0.1", port)
    controller.start()
    with app.app_context():
        yield port
    controller.stop()


def _send(port: int, raw: bytes, mail_from: str = JANE, to: str = "contact@hub.example.org") -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        smtp.sendmail(mail_from, [to], raw)


def _count(model) -> int:
    get_session().expire_all()
    return get_session().scalar(select(func.count()).select_from(model))


def test_mail_over_smtp_becomes_a_case_and_is_acknowledged(listener, smtp_server):
    _send(listener, eml("plain.eml"))
    case = get_session().scalars(select(Case)).one()
    [ack] = smtp_server.to(JANE)
    assert case.reference in ack["Subject"] and ack["Auto-Submitted"] == "auto-replied"
    _send(listener, eml("plain.eml"))  # the sending server retries: nothing new
    assert _count(Case) == 1 and _count(InboundEmail) == 1 and len(smtp_server.received) == 1


def test_bounce_with_a_null_envelope_sender_gets_no_answer(listener, smtp_server):
    _send(listener, eml("bounce.eml", bounced_id="<nothing@hub.example.org>"), mail_from="")
    assert _count(Case) == 0 and smtp_server.received == []
    assert get_session().scalars(select(InboundEmail.outcome)).one() == "automatic"


def test_listener_is_not_a_relay(listener):
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        _send(listener, eml("plain.eml"), to="someone@example.com")
    assert refused.value.recipients["someone@example.com"][0] == 550
    assert _count(InboundEmail) == 0


def test_oversize_mail_is_refused_politely_and_nothing_is_stored(listener, smtp_server):
    with pytest.raises(smtplib.SMTPDataError) as refused:
        _send(listener, oversize(10.5))
    assert refused.value.smtp_code == 552 and b"10 MB" in refused.value.smtp_error
    assert _count(InboundEmail) == 0 and _count(Case) == 0


def test_not_an_email_is_refused(listener):
    with pytest.raises(smtplib.SMTPDataError) as refused:
        _send(listener, eml("not_an_email.eml"))
    assert refused.value.smtp_code == 550
    assert _count(InboundEmail) == 0


def test_hub_email_smtp_command_takes_mail(database_url, new_app, smtp_server):
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time
    from pathlib import Path

    port = free_port()
    env = {**os.environ, **TEST_ENV, "DATABASE_URL": database_url, **smtp_server.env}
    proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "hub", "email", "smtp", "--port", str(port)],
                            cwd=Path(__file__).resolve().parents[2], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        _send(port, eml("plain.eml"))
    finally:
        proc.send_signal(signal.SIGINT)
        output = proc.communicate(timeout=30)[0].decode()
    assert f"smtp://127.0.0.1:{port}" in output
    with new_app(database_url).app_context():
        assert _count(Case) == 1
    assert len(smtp_server.to(JANE)) == 1
