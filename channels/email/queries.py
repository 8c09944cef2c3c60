"""Reads and writes of the email channel's tables (and the case lookups threading needs)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from channels.email.models import EmailAttachment, InboundEmail
from hub.cases.models import Case, Message
from hub.db import session, utcnow


def find_inbound(message_id: str) -> InboundEmail | None:
    return session.scalars(select(InboundEmail).where(InboundEmail.message_id == message_id)).first()


def add_inbound(**values: Any) -> InboundEmail:
    """Claim the Message-ID; raises IntegrityError if a concurrent delivery already has it.

    No savepoint: on SQLite a SAVEPOINT that opens the unit of work is its outermost
    transaction, and releasing it would commit this row on its own; a later failure would
    then leave a claimed Message-ID with no case, and the provider's retry would be taken
    for a duplicate (a lost contact).
    """
    row = InboundEmail(**values)
    session.add(row)
    session.flush()
    return row


def add_attachment(**values: Any) -> EmailAttachment:
    row = EmailAttachment(**values)
    session.add(row)
    session.flush()
    return row


# Everything about a file but its bytes: a case page lists up to ten 5 MB files per email.
_LISTED = (EmailAttachment.id, EmailAttachment.filename, EmailAttachment.content_type, EmailAttachment.size,
           EmailAttachment.refused_reason, InboundEmail.hub_message_id)


def attachments_for_case(case_id: int) -> list[Any]:
    """The case's files (without bytes) with the case message each came with, oldest first."""
    return list(session.execute(select(*_LISTED).join(InboundEmail, EmailAttachment.inbound_email_id == InboundEmail.id)
                                .where(EmailAttachment.case_id == case_id).order_by(EmailAttachment.id)))


def attachment_of_case(case_id: int, attachment_id: int) -> Any | None:
    """One file with its bytes, only if it belongs to this case (the caller has checked the case's council)."""
    return session.execute(select(*_LISTED, EmailAttachment.data)
                           .join(InboundEmail, EmailAttachment.inbound_email_id == InboundEmail.id)
                           .where(EmailAttachment.id == attachment_id, EmailAttachment.case_id == case_id)).first()


def outbound_email(provider_id: str) -> Message | None:
    """One of the hub's own sent emails, by the Message-ID it was sent with."""
    return session.scalars(select(Message).where(Message.channel == "email", Message.direction == "outbound",
                                                 Message.provider_id == provider_id)).first()


def case_by_reply_token(token: str) -> Case | None:
    return session.scalars(select(Case).where(Case.reply_token == token)).first()


def latest_inbound_email(case_id: int) -> Message | None:
    return session.scalars(select(Message).where(Message.case_id == case_id, Message.channel == "email",
                                                 Message.direction == "inbound")
                           .order_by(Message.created_at.desc(), Message.id.desc()).limit(1)).first()


def automatic_mail_sent_since(recipient: str, since: dt.timedelta) -> int:
    """How many automatic emails (no adviser author) this address was sent recently."""
    return session.scalar(
        select(func.count()).select_from(Message).where(
            Message.channel == "email", Message.direction == "outbound", Message.author_id.is_(None),
            func.lower(Message.recipient) == recipient.lower(), Message.delivery_status == "sent",
            Message.created_at >= utcnow() - since)
    ) or 0
