"""Cases, their messages and their append-only event log.

A case is one thing a citizen needs, from first contact to resolution, whichever
channels it crosses. Its events say who or what did what, when, and why.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, SmallInteger, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.db import Base, TimestampMixin, utcnow

DISPOSITIONS = ("self_served", "escalated", "urgent", "signposted", "needs_info")
STATUSES = ("new", "needs_info", "open", "in_progress", "waiting_citizen", "resolved", "closed")
# Statuses in which a case sits in an adviser queue.
QUEUE_STATUSES = ("open", "in_progress")
OPEN_STATUSES = ("new", "needs_info", "open", "in_progress", "waiting_citizen")
PRIORITIES = {"urgent": 0, "high": 1, "normal": 2}
DIRECTIONS = ("inbound", "outbound")
REPORT_COLUMNS = ["id", "authority_code", "channel", "service_code", "workflow", "disposition", "self_served",
                  "citizen_id", "sla_due_at", "first_response_at", "resolved_at", "repeat_contact"]


class Case(TimestampMixin, Base):
    __tablename__ = "case"
    __table_args__ = (
        CheckConstraint(f"status IN {STATUSES!r}", name="status_known"),
        CheckConstraint(f"disposition IS NULL OR disposition IN {DISPOSITIONS!r}", name="disposition_known"),
        # The adviser queue: my councils' cases needing people, urgent first, then by SLA.
        Index("ix_case_queue", "authority_code", "status", "priority", "sla_due_at"),
        # Reports: contacts per council and channel over time.
        Index("ix_case_report", "authority_code", "channel", "created_at"),
        # Reports over a date window, all councils: on PostgreSQL an index-only scan of the
        # window carries every column the report queries read (hub.reports.queries).
        Index("ix_case_created", "created_at", postgresql_include=REPORT_COLUMNS),
        Index("ix_case_citizen", "citizen_id", "created_at"),
        # Workflows looking for earlier reports: repeat missed collections at one house, the
        # same street fault reported again (by postcode, or by street within the sector).
        Index("ix_case_missed_address", "service_code", "address_key", "collection_date"),
        Index("ix_case_service_postcode", "service_code", "postcode", "created_at"),
        Index("ix_case_service_location", "service_code", "location_key", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    channel: Mapped[str] = mapped_column(String(16))
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizen.id"))
    # The name, email and phone given with this case's own contacts. Citizen records are shared
    # by the whole partnership and matched on unverified details, so what a case shows, where
    # its replies go and who may track it come from here, never from the shared record (0024).
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    service_code: Mapped[str | None] = mapped_column(ForeignKey("service.code"))
    authority_code: Mapped[str | None] = mapped_column(ForeignKey("authority.code"))
    disposition: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="new")
    priority: Mapped[int] = mapped_column(SmallInteger, default=PRIORITIES["normal"])
    postcode: Mapped[str | None] = mapped_column(String(8))
    location_text: Mapped[str | None] = mapped_column(String(300))
    summary: Mapped[str | None] = mapped_column(String(300))
    # The triage decision: confidence, each step's reason, what was asked for.
    triage: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    routing_explanation: Mapped[str | None] = mapped_column(Text)
    workflow: Mapped[str | None] = mapped_column(String(40))
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    sla_due_at: Mapped[dt.datetime | None]
    first_response_at: Mapped[dt.datetime | None]
    resolved_at: Mapped[dt.datetime | None]
    closed_at: Mapped[dt.datetime | None]
    # Self-service that a citizen would otherwise have phoned about; set by workflows.
    self_served: Mapped[bool] = mapped_column(default=False)
    # Failure demand: the same citizen contacted us about the same service in the 7 days before.
    # Derived from other cases, kept right on every flush by hub.cases.repeats; reports sum it.
    repeat_contact: Mapped[bool] = mapped_column(default=False, server_default=false())
    # What the citizen told us in answer to questions (address, bin type, location…).
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The first report of the same problem (a street fault at the same place, the same missed collection).
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("case.id"), index=True)
    # Set when a missed collection is decided (with the triage decision, under the place's
    # lock, decision 0028): the house ('12 elm road|WR14 3AB') and the collection day that was
    # missed, so repeats are counted per collection, in SQL.
    address_key: Mapped[str | None] = mapped_column(String(200))
    collection_date: Mapped[dt.date | None]
    # Set when a street report is decided (as above): '<postcode sector>|<street words>' ('WR14 3|church street').
    location_key: Mapped[str | None] = mapped_column(String(200))
    # Secret part of the per-case reply address (contact+<token>@…), so replies thread safely.
    reply_token: Mapped[str | None] = mapped_column(String(32), unique=True)

    messages: Mapped[list["Message"]] = relationship(
        back_populates="case", order_by="Message.created_at", lazy="raise_on_sql"
    )


class Message(Base):
    __tablename__ = "message"
    __table_args__ = (
        CheckConstraint(f"direction IN {DIRECTIONS!r}", name="direction_known"),
        # A provider retry (same MessageSid, same Message-ID) must not create a second message.
        UniqueConstraint("channel", "direction", "provider_id"),
        Index("ix_message_case", "case_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"))
    direction: Mapped[str] = mapped_column(String(8))
    channel: Mapped[str] = mapped_column(String(16))
    sender: Mapped[str | None] = mapped_column(String(254))
    recipient: Mapped[str | None] = mapped_column(String(254))
    subject: Mapped[str | None] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    provider_id: Mapped[str | None] = mapped_column(String(255))
    delivery_status: Mapped[str | None] = mapped_column(String(24))
    delivery_error: Mapped[str | None] = mapped_column(String(300))
    # When a delivery attempt marked the message "sending" (before calling the provider).
    send_started_at: Mapped[dt.datetime | None]
    # Public messages are shown to the citizen on the tracking page; notes are not.
    public: Mapped[bool] = mapped_column(default=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="messages", lazy="raise_on_sql")


class TrainingExample(Base):
    """A labelled message for the next classifier build (from advisers' re-categorisations)."""

    __tablename__ = "training_example"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    service_code: Mapped[str] = mapped_column(ForeignKey("service.code"))
    channel: Mapped[str | None] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(32), default="adviser")  # "adviser", "import"
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id", ondelete="SET NULL"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CaseEvent(Base):
    """Append-only: rows are added, never changed (see hub.cases.events for the guard)."""

    __tablename__ = "case_event"
    __table_args__ = (Index("ix_case_event_case", "case_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))  # "system", "citizen", "job:<name>", "user:<id>"
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    kind: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
