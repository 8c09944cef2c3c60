"""A NUL byte is refused with a clear 400 everywhere, never a 500 (PostgreSQL cannot hold it)."""
import pytest
from sqlalchemy import func, select

from channels.email.models import InboundEmail
from hub.db import get_session


@pytest.mark.parametrize("path", ["/adviser/search?q=a%00b", "/adviser/?service=a%00b", "/?q=bin%00day",
                                  "/reports/?service=a%00b"])
def test_nul_in_a_query_string_is_a_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert b"NUL" in response.data


def test_nul_in_a_form_is_a_400_before_anything_else(client):
    response = client.post("/adviser/sign-in", data={"email": "a\x00@x.org", "password": "whatever-password"})
    assert response.status_code == 400 and b"NUL" in response.data


def test_nul_in_an_email_header_is_stored_without_it(database_url, new_app):
    app = new_app(database_url, HUB_INBOUND_EMAIL_TOKEN="t0ken-for-tests")
    raw = (b"From: Ann <ann@example.org>\r\nTo: contact@hub.example.org\r\nSubject: hi\x00there\r\n"
           b"Message-ID: <nul-1@example.org>\r\nDate: Mon, 30 Nov 2026 09:00:00 +0000\r\n\r\n"
           b"Pothole on Church Street WR14 3AB\r\n")
    with app.app_context():
        response = app.test_client().post("/channels/email/inbound", data=raw,
                                          headers={"Content-Type": "message/rfc822",
                                                   "Authorization": "Bearer t0ken-for-tests"})
        assert response.status_code == 200, response.data
        subjects = get_session().scalars(select(InboundEmail.subject)).all()
        assert subjects and "\x00" not in subjects[0]
        again = app.test_client().post("/channels/email/inbound", data=raw,
                                       headers={"Content-Type": "message/rfc822",
                                                "Authorization": "Bearer t0ken-for-tests"})
        assert again.status_code == 200
        assert get_session().scalar(select(func.count()).select_from(InboundEmail)) == 1
