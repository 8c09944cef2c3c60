"""Inbound email through the webhook, answered through a real SMTP server on 127.0.0.1."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from channels.email.models import EmailAttachment, InboundEmail
from fixtures.mail import eml, oversize
from hub.cases.models import Case, CaseEvent, Message
from hub.db import get_session

TOKEN = "inbound-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "message/rfc822"}
JANE = "jane.resident@example.org"


@pytest.fixture
def mail_app(database_url, new_app, smtp_server):
    app = new_app(database_url, HUB_INBOUND_EMAIL_TOKEN=TOKEN, **smtp_server.env)
    with app.app_context():
        yield app


@pytest.fixture
def post(mail_app):
    client = mail_app.test_client()

    def _post(raw: bytes, headers: dict[str, str] | None = None):
        return client.post("/channels/email/inbound", data=raw, headers=AUTH if headers is None else headers)

    return _post


def count(model, *where) -> int:
    sess = get_session()
    sess.expire_all()
    return sess.scalar(select(func.count()).select_from(model).where(*where))


def case_by_ref(reference: str) -> Case:
    get_session().expire_all()
    return get_session().scalars(select(Case).where(Case.reference == reference)).one()


def messages(case: Case) -> list[Message]:
    return list(get_session().scalars(select(Message).where(Message.case_id == case.id).order_by(Message.id)))


def test_new_email_becomes_a_routed_case_with_an_acknowledgement(post, smtp_server):
    resp = post(eml("plain.eml"))
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["status"] == "case"
    case = case_by_ref(resp.get_json()["reference"])
    assert (case.channel, case.authority_code, case.status) == ("email", "WCITY", "open")
    inbound, ack = messages(case)
    assert inbound.provider_id == "<plain-1.jane@mail.example.org>" and "3am" in inbound.body

    [mail] = smtp_server.to(JANE)
    assert case.reference in mail["Subject"] and case.reference in mail.get_body(("plain",)).get_content()
    assert "Worcester City Council will reply" in mail.get_body(("plain",)).get_content()
    assert mail.get_body(("html",)) is not None
    assert mail["In-Reply-To"] == "<plain-1.jane@mail.example.org>"
    assert mail["Auto-Submitted"] == "auto-replied" and mail["X-Auto-Response-Suppress"] == "All"
    assert mail["Reply-To"] == f"contact+{case.reply_token}@hub.example.org"
    assert ack.provider_id == mail["Message-ID"] and ack.delivery_status == "sent"
    [stored] = get_session().scalars(select(InboundEmail)).all()
    assert stored.raw == eml("plain.eml") and stored.case_id == case.id and stored.outcome == "case"


def test_reply_to_the_acknowledgement_threads_into_the_case(post, smtp_server):
    case = case_by_ref(post(eml("plain.eml")).get_json()["reference"])
    [ack] = smtp_server.to(JANE)
    resp = post(eml("reply.eml", in_reply_to=ack["Message-ID"], to="contact@hub.example.org"))
    assert resp.get_json() == {"status": "reply", "reference": case.reference}
    assert count(Case) == 1
    inbound = [m for m in messages(case) if m.direction == "inbound"]
    assert [m.provider_id for m in inbound] == ["<plain-1.jane@mail.example.org>", "<reply-1.jane@mail.example.org>"]
    assert "> Thank you" in inbound[1].body  # the original is kept whole; triage strips the quote
    assert len(smtp_server.received) == 1  # a reply to an open case is not acknowledged again


def test_reference_in_the_subject_threads_only_for_the_same_citizen(post):
    case = case_by_ref(post(eml("plain.eml")).get_json()["reference"])
    same = eml("quoted_printable.eml").replace(b"priya@example.co.uk", JANE.encode()).replace(
        b"Subject: Council tax", f"Subject: {case.reference} council tax".encode())
    assert post(same).get_json()["reference"] == case.reference
    stranger = eml("quoted_printable.eml").replace(b"Subject: Council tax",
                                                   f"Subject: {case.reference} council tax".encode())
    stranger = stranger.replace(b"<qp-1.priya", b"<qp-2.priya")
    other = post(stranger).get_json()
    assert other["status"] == "case" and other["reference"] != case.reference


def test_message_id_of_our_mail_does_not_let_a_stranger_join(post, smtp_server):
    post(eml("plain.eml"))
    [ack] = smtp_server.to(JANE)
    raw = eml("reply.eml", in_reply_to=ack["Message-ID"], to="contact@hub.example.org").replace(
        JANE.encode(), b"mallory@example.com")
    assert post(raw).get_json()["status"] == "case"
    assert count(Case) == 2


def test_private_reply_address_threads_and_notes_another_sender(post):
    case = case_by_ref(post(eml("plain.eml")).get_json()["reference"])
    raw = eml("unknown_charset.eml").replace(b"To: contact@hub.example.org",
                                             f"To: contact+{case.reply_token}@hub.example.org".encode())
    assert post(raw).get_json() == {"status": "reply", "reference": case.reference}
    kinds = get_session().scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case.id)).all()
    assert "reply_from_other_address" in kinds
    get_session().expire_all()
    assert case_by_ref(case.reference).contact_email == JANE  # the stranger never becomes the contact


def test_duplicate_delivery_changes_nothing(post, smtp_server):
    first = post(eml("plain.eml")).get_json()
    before = (count(Case), count(Message), count(InboundEmail), count(CaseEvent), len(smtp_server.received))
    again = post(eml("plain.eml"))
    assert again.status_code == 200
    assert again.get_json() == {"status": "duplicate", "reference": first["reference"]}
    assert (count(Case), count(Message), count(InboundEmail), count(CaseEvent), len(smtp_server.received)) == before


def test_out_of_office_reply_gets_no_answer(post, smtp_server):
    case = case_by_ref(post(eml("plain.eml")).get_json()["reference"])
    [ack] = smtp_server.to(JANE)
    resp = post(eml("out_of_office.eml", in_reply_to=ack["Message-ID"]))
    assert resp.get_json()["status"] == "automatic"
    assert len(smtp_server.received) == 1
    assert count(Message, Message.direction == "inbound") == 1
    event = get_session().scalars(select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                          CaseEvent.kind == "automatic_reply")).one()
    assert "Auto-Submitted" in event.reason


def test_unthreaded_auto_reply_and_list_mail_make_no_case_and_no_answer(post, smtp_server):
    assert post(eml("out_of_office.eml", in_reply_to="<unknown@example.org>")).get_json()["status"] == "automatic"
    assert post(eml("list.eml")).get_json()["status"] == "automatic"
    assert count(Case) == 0 and smtp_server.received == []
    assert count(InboundEmail, InboundEmail.outcome == "automatic") == 2  # kept, never answered


def test_bounce_gets_no_answer_and_marks_our_mail_bounced(post, smtp_server):
    case = case_by_ref(post(eml("plain.eml")).get_json()["reference"])
    [ack] = smtp_server.to(JANE)
    resp = post(eml("bounce.eml", bounced_id=ack["Message-ID"]))
    assert resp.get_json() == {"status": "automatic", "reference": case.reference}
    assert len(smtp_server.received) == 1 and count(Case) == 1
    sent = [m for m in messages(case) if m.direction == "outbound"][0]
    assert sent.delivery_status == "bounced"


def test_html_only_windows_1252_is_read_correctly(post):
    case = case_by_ref(post(eml("html_windows1252.eml")).get_json()["reference"])
    inbound = messages(case)[0]
    assert "I paid £45 for a garden waste permit and haven’t had my bin emptied." in inbound.body
    assert "three weeks & counting – the € sign" in inbound.body and "Café Street" in inbound.body
    assert "alert" not in inbound.body and "color" not in inbound.body
    assert inbound.subject == "Garden waste – not collected"


def test_attachments_are_kept_or_refused_by_type(post):
    case = case_by_ref(post(eml("attachment.eml")).get_json()["reference"])
    found = get_session().scalars(select(EmailAttachment).where(EmailAttachment.case_id == case.id))
    rows = {a.filename: a for a in found}
    assert set(rows) == {"letter.pdf", "invoice.exe", "fake.pdf"}
    assert rows["letter.pdf"].data.startswith(b"%PDF") and rows["letter.pdf"].refused_reason is None
    assert len(rows["letter.pdf"].sha256) == 64 and rows["letter.pdf"].size == len(rows["letter.pdf"].data)
    assert rows["invoice.exe"].data is None and "not accepted" in rows["invoice.exe"].refused_reason
    assert rows["fake.pdf"].data is None and "not really" in rows["fake.pdf"].refused_reason


def test_oversize_message_is_refused_and_nothing_is_stored(post, smtp_server):
    resp = post(oversize(10.5))
    assert resp.status_code == 413
    assert (count(Case), count(Message), count(InboundEmail)) == (0, 0, 0)
    assert smtp_server.received == []


def test_a_body_that_is_not_an_email_gets_400(post):
    for raw in (eml("not_an_email.eml"), b"", b'{"from": "a@example.org"}'):
        resp = post(raw)
        assert resp.status_code == 400, raw
        assert resp.get_json()["status"] == "not_email"
    assert count(InboundEmail) == 0


def test_missing_or_wrong_token_is_refused(post):
    assert post(eml("plain.eml"), headers={}).status_code == 401
    assert post(eml("plain.eml"), headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert post(eml("plain.eml"), headers={"Authorization": f"Basic {TOKEN}"}).status_code == 401
    assert count(InboundEmail) == 0


def test_webhook_is_disabled_without_a_token(client):
    assert client.post("/channels/email/inbound", data=eml("plain.eml"),
                       headers={"Authorization": "Bearer "}).status_code == 404


def test_acknowledgements_are_limited_per_sender_per_hour(post, smtp_server):
    for n in range(7):
        raw = eml("plain.eml").replace(b"<plain-1.jane@", f"<plain-{n}x.jane@".encode())
        assert post(raw).get_json()["status"] == "case"
    assert len(smtp_server.to(JANE)) == 5
    refused = get_session().scalars(select(Message).where(Message.direction == "outbound",
                                                          Message.delivery_status == "failed")).all()
    assert len(refused) == 2 and all("in the last hour" in m.delivery_error for m in refused)


def test_a_follow_up_to_your_own_email_joins_your_case(post):
    case = case_by_ref(post(eml("plain.eml")).get_json()["reference"])
    follow_up = eml("reply.eml", in_reply_to="<plain-1.jane@mail.example.org>", to="contact@hub.example.org")
    assert post(follow_up).get_json() == {"status": "reply", "reference": case.reference}
    stranger = follow_up.replace(JANE.encode(), b"mallory@example.com").replace(b"<reply-1.", b"<reply-2.")
    assert post(stranger).get_json()["status"] == "case"
