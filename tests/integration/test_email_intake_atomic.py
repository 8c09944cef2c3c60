"""An email's claim on its Message-ID commits with its case or not at all (SQLite included)."""
from sqlalchemy import func, select

from channels.email import intake
from channels.email.models import InboundEmail
from hub.cases.models import Case
from hub.db import get_session

RAW = (b"From: Ann <ann@example.org>\r\nTo: contact@hub.example.org\r\nSubject: pothole\r\n"
       b"Message-ID: <atomic-1@example.org>\r\nDate: Mon, 30 Nov 2026 09:00:00 +0000\r\n\r\n"
       b"Deep pothole on Church Street WR14 3AB\r\n")


def test_a_failed_unit_of_work_leaves_no_claimed_message_id(app):
    outcome = intake.receive(RAW, via="imap")
    assert outcome.kind == "case"
    get_session().rollback()  # the poller's unit of work failed after the intake
    assert get_session().scalar(select(func.count()).select_from(InboundEmail)) == 0
    assert get_session().scalar(select(func.count()).select_from(Case)) == 0
    retried = intake.receive(RAW, via="imap")  # so the retry is a new contact, not a "duplicate"
    assert retried.kind == "case"
