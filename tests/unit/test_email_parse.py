"""Parsing real message files: charsets, HTML, attachments, and which mail is automatic."""
from __future__ import annotations

import pytest

from channels.email.htmltext import html_to_text
from channels.email.intake import attachment_refusal, safe_filename
from channels.email.loops import automatic_reason, bounced_message_ids, is_bounce
from channels.email.parse import Attachment, NotAnEmail, parse
from fixtures.mail import eml


def test_plain_message():
    mail = parse(eml("plain.eml"))
    assert mail.message_id == "<plain-1.jane@mail.example.org>"
    assert (mail.sender, mail.sender_name) == ("jane.resident@example.org", "Jane Resident")
    assert mail.text.startswith("Hello,\n\nOur neighbour plays loud music") and not mail.html_only
    assert automatic_reason(mail) is None


def test_html_only_windows_1252_becomes_clean_text():
    mail = parse(eml("html_windows1252.eml"))
    assert mail.html_only
    assert mail.text == ("I paid £45 for a garden waste permit and haven’t had my bin emptied.\n\n"
                         "That’s three weeks & counting – the € sign is here too.\n\nCafé Street, Malvern WR14 3AB")
    assert mail.sender_name == "Renée O’Brien" and mail.subject == "Garden waste – not collected"


def test_unknown_charset_falls_back_to_utf8():
    assert parse(eml("unknown_charset.eml")).text == "The street light on Müller Straße is out – WR1 1AB."


def test_latin1_label_on_windows_1252_bytes():
    raw = (b"From: a@example.org\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\n"
           b"It\x92s \x80 5 \x96 ok\r\n")
    assert parse(raw).text == "It’s € 5 – ok"


def test_quoted_printable_and_encoded_subject():
    mail = parse(eml("quoted_printable.eml"))
    assert mail.subject == "Council tax £ question"
    assert "went up by £20 this year and I would like to know why – can" in mail.text


def test_attachments_are_found_and_judged():
    mail = parse(eml("attachment.eml"))
    found = {a.filename: a for a in mail.attachments}
    assert set(found) == {"letter.pdf", "../../invoice.exe", "fake.pdf"}
    assert attachment_refusal(found["letter.pdf"]) is None
    assert "not accepted" in attachment_refusal(found["../../invoice.exe"])
    assert "not really application/pdf" in attachment_refusal(found["fake.pdf"])
    assert "5 MB" in attachment_refusal(Attachment("big.png", "image/png", b"\x89PNG" + b"0" * 6 * 1024 * 1024))
    assert attachment_refusal(Attachment("scan.pdf", "application/octet-stream", b"%PDF-1.7")) is None
    assert safe_filename("../../invoice.exe", "application/x-msdownload") == "invoice.exe"
    assert safe_filename("", "application/pdf") == "attachment.pdf"
    assert safe_filename("a\x00b\r\n.txt", "text/plain") == "a_b_.txt"


def test_reply_headers_give_the_references_to_thread_on():
    mail = parse(eml("reply.eml", in_reply_to="<ack-1@hub.example.org>", to="contact+abc@hub.example.org"))
    assert mail.references == ["<ack-1@hub.example.org>", "<plain-1.jane@mail.example.org>"]
    assert "contact+abc@hub.example.org" in mail.recipients


@pytest.mark.parametrize("name, expected", [
    ("out_of_office.eml", "Auto-Submitted: auto-replied"),
    ("bounce.eml", "Auto-Submitted: auto-replied"),
    ("list.eml", "Precedence: list"),
])
def test_automatic_mail_is_recognised(name, expected):
    assert automatic_reason(parse(eml(name, in_reply_to="<x@y>", bounced_id="<x@y>"))) == expected


@pytest.mark.parametrize("header, reason", [
    ("X-Autoreply: yes", "X-Autoreply header"),
    ("X-Autorespond: yes", "X-Autorespond header"),
    ("Precedence: bulk", "Precedence: bulk"),
    ("List-Unsubscribe: <mailto:x@example.org>", "mailing list (List-Unsubscribe)"),
    ("Return-Path: <>", "null sender (a bounce)"),
])
def test_each_loop_signal_alone_is_enough(header, reason):
    raw = f"From: someone@example.org\r\n{header}\r\nSubject: hi\r\n\r\nhello\r\n".encode()
    assert automatic_reason(parse(raw)) == reason


def test_auto_submitted_no_is_a_person_and_mailer_daemon_is_not():
    person = b"From: someone@example.org\r\nAuto-Submitted: no\r\n\r\nhello\r\n"
    assert automatic_reason(parse(person)) is None
    robot = b"From: MAILER-DAEMON@mx.example.org\r\n\r\nfailed\r\n"
    assert automatic_reason(parse(robot)).startswith("robot sender")
    assert automatic_reason(parse(person, envelope_sender="")) == "null sender (a bounce)"


def test_bounce_names_the_message_that_failed():
    mail = parse(eml("bounce.eml", bounced_id="<ack-1@hub.example.org>"))
    assert is_bounce(mail) and bounced_message_ids(mail) == ["<ack-1@hub.example.org>"]
    assert not is_bounce(parse(eml("out_of_office.eml", in_reply_to="<ack-1@hub.example.org>")))


@pytest.mark.parametrize("raw", [b"", b"   \r\n", eml("not_an_email.eml"), b'{"text": "hi"}',
                                 b"<html><body>hi</body></html>", b"Subject: no sender\r\n\r\nhello\r\n"])
def test_not_an_email_is_refused(raw):
    with pytest.raises(NotAnEmail):
        parse(raw)


def test_message_without_message_id_gets_a_stable_one():
    raw = b"From: a@example.org\r\nSubject: hi\r\n\r\nhello\r\n"
    assert parse(raw).message_id == parse(raw).message_id != parse(raw + b"x").message_id


def test_html_to_text_drops_active_content_and_keeps_structure():
    html = ('<style>.x{}</style><script>evil()</script><h1>Title</h1><p>One<br>Two</p>'
            '<ul><li>first</li><li>second</li></ul><a href="https://example.org/a">link</a>'
            '<a href="javascript:alert(1)">js</a><img src="http://tracker.example/x.gif"><p>&lt;b&gt; &pound;5</p>'
            '<p>unclosed <b>bold')
    text = html_to_text(html)
    assert "evil" not in text and ".x" not in text and "javascript" not in text and "tracker" not in text
    assert text.splitlines()[:3] == ["Title", "", "One"]
    assert "- first" in text and "- second" in text
    assert "link (https://example.org/a)" in text and "<b> £5" in text and "unclosed bold" in text


def test_triage_sees_the_new_words_while_the_original_is_kept():
    from hub.triage.text import strip_email

    reply = parse(eml("reply.eml", in_reply_to="<a@b>", to="contact@hub.example.org"))
    assert "wrote:" in reply.text and strip_email(reply.text) == "It happened again last night, from 11pm to 2am."
    first = parse(eml("plain.eml"))
    assert "07700 900123" in first.text and "07700" not in strip_email(first.text)
