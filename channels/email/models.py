"""What the email channel keeps: every message as received, and its attachments.

The raw bytes are the record (what the citizen actually sent, for complaints and
subject-access requests); `Message.body` on the case is only the readable text.
Bytes live in the database, not on disk, so a message and its attachments are stored in
the same transaction as the case: all or nothing, backed up together.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from hub.db import Base, utcnow

OUTCOMES = ("case", "reply", "automatic", "duplicate")


class InboundEmail(Base):
    __tablename__ = "inbound_email"
    __table_args__ = (Index("ix_inbound_email_sender", "sender", "received_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The same Message-ID delivered twice (webhook retry, IMAP re-read) is one row.
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    via: Mapped[str] = mapped_column(String(8))  # "webhook", "smtp", "imap"
    sender: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str | None] = mapped_column(String(300))
    size: Mapped[int] = mapped_column(Integer)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    outcome: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str | None] = mapped_column(String(300))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id", ondelete="SET NULL"), index=True)
    hub_message_id: Mapped[int | None] = mapped_column(ForeignKey("message.id", ondelete="SET NULL"))
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class EmailAttachment(Base):
    """A file a citizen sent. Refused files keep a row (name, type, size, why) but no bytes."""

    __tablename__ = "email_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    inbound_email_id: Mapped[int] = mapped_column(ForeignKey("inbound_email.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id", ondelete="SET NULL"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(127))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    refused_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
