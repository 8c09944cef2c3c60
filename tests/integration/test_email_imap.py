"""`hub email imap-poll` against a real dovecot: nothing read twice, nothing lost."""
from __future__ import annotations

import imaplib
import re

import pytest
from sqlalchemy import func, select, text

from channels.email.imap_poll import TAKEN, poll_once
from channels.email.intake import receive
from channels.email.models import InboundEmail
from fixtures.mail import eml, oversize
from hub.cases.models import Case, Message
from hub.db import get_session
from hub.jobs.dispatch import commit_and_dispatch


@pytest.fixture
def imap_app(database_url, new_app, dovecot, smtp_server):
    app = new_app(database_url, **dovecot.env, **smtp_server.env)
    with app.app_context():
        yield app


@pytest.fixture
def mailbox(dovecot):
    conn = imaplib.IMAP4(dovecot.host, dovecot.port, timeout=30)
    conn.login(dovecot.username, dovecot.password)
    conn.select("INBOX")

    class Mailbox:
        def append(self, raw: bytes) -> None:
            typ, _ = conn.append("INBOX", None, None, raw)
            assert typ == "OK"

        def flags(self) -> list[str]:
            # A fresh session: imaplib would mix in flag changes it was told about earlier.
            fresh = imaplib.IMAP4(dovecot.host, dovecot.port, timeout=30)
            fresh.login(dovecot.username, dovecot.password)
            fresh.select("INBOX", readonly=True)
            typ, data = fresh.uid("FETCH", "1:*", "(FLAGS)")
            fresh.logout()
            return [re.search(rb"FLAGS \(([^)]*)\)", line).group(1).decode() for line in data if line]

    yield Mailbox()
    conn.logout()


def _count(model, *where) -> int:
    get_session().expire_all()
    return get_session().scalar(select(func.count()).select_from(model).where(*where))


def _fail_storing(message_id: str, on: bool) -> None:
    """A storage failure outside our code: the database refuses one message (a trigger)."""
    sess = get_session()
    postgres = sess.get_bind().dialect.name == "postgresql"
    if on and postgres:
        sess.execute(text("CREATE FUNCTION fail_once() RETURNS trigger AS $$ BEGIN "
                          f"IF NEW.message_id = '{message_id}' THEN RAISE EXCEPTION 'disk full'; END IF; "
                          "RETURN NEW; END $$ LANGUAGE plpgsql"))
        sess.execute(text("CREATE TRIGGER fail_once BEFORE INSERT ON inbound_email "
                          "FOR EACH ROW EXECUTE FUNCTION fail_once()"))
    elif on:
        sess.execute(text(f"CREATE TRIGGER fail_once BEFORE INSERT ON inbound_email WHEN NEW.message_id = "
                          f"'{message_id}' BEGIN SELECT RAISE(ABORT, 'disk full'); END"))
    else:
        sess.execute(text("DROP TRIGGER fail_once" + (" ON inbound_email" if postgres else "")))
        if postgres:
            sess.execute(text("DROP FUNCTION fail_once()"))
    sess.commit()


def test_poll_takes_each_message_once(imap_app, mailbox):
    for name in ("plain.eml", "html_windows1252.eml", "list.eml"):
        mailbox.append(eml(name))
    first = poll_once(imap_app)
    assert (first.taken, first.failed) == (3, 0)
    assert all(TAKEN in flags and "\\Seen" in flags for flags in mailbox.flags())
    again = poll_once(imap_app)
    assert (again.taken, again.duplicates) == (0, 0)
    assert _count(InboundEmail) == 3 and _count(Case) == 2  # the list mail is kept, not made a case


def test_a_poll_interrupted_half_way_loses_and_duplicates_nothing(imap_app, mailbox):
    names = ("plain.eml", "html_windows1252.eml", "quoted_printable.eml")
    for name in names:
        mailbox.append(eml(name))
    _fail_storing("<html-cp1252.renee@mail.example.net>", on=True)
    first = poll_once(imap_app)
    assert (first.taken, first.failed) == (2, 1)
    assert [TAKEN in flags for flags in mailbox.flags()] == [True, False, True]
    assert _count(InboundEmail) == 2 and _count(Case) == 2

    _fail_storing("", on=False)
    second = poll_once(imap_app)
    assert (second.taken, second.failed) == (1, 0)
    assert all(TAKEN in flags for flags in mailbox.flags())
    assert _count(InboundEmail) == 3 and _count(Case) == 3
    assert _count(Message, Message.direction == "inbound") == 3


def test_a_message_stored_but_not_yet_marked_is_only_marked(imap_app, mailbox):
    # As if the poller crashed after its commit and before marking the message.
    assert receive(eml("plain.eml"), via="imap").kind == "case"
    commit_and_dispatch()
    mailbox.append(eml("plain.eml"))
    result = poll_once(imap_app)
    assert (result.taken, result.duplicates) == (0, 1)
    assert TAKEN in mailbox.flags()[0]
    assert _count(Case) == 1 and _count(InboundEmail) == 1


def test_oversize_mail_in_the_mailbox_gets_a_polite_reply(imap_app, mailbox, smtp_server):
    mailbox.append(oversize(10.5))
    result = poll_once(imap_app)
    assert result.refused == 1
    [reply] = smtp_server.to("big@example.org")
    assert "10 MB" in reply.get_body(("plain",)).get_content()
    assert reply["Auto-Submitted"] == "auto-replied" and reply["In-Reply-To"] == "<big-1@example.org>"
    assert _count(InboundEmail) == 0 and _count(Case) == 0
    assert TAKEN in mailbox.flags()[0]
    assert poll_once(imap_app).refused == 0  # answered once only


def test_imap_poll_command(imap_app, mailbox):
    from hub.cli import main

    mailbox.append(eml("plain.eml"))
    result = imap_app.test_cli_runner().invoke(main, ["email", "imap-poll", "--once"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "taken 1" in result.output
    assert _count(Case) == 1
