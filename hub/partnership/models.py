"""Who is responsible for what, where: the partnership as stored for SQL joins and reports.

The validated YAML (hub.partnership.schema) is the source; `hub partnership load` upserts
these rows from it so that cases, queues and reports can join on codes.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from hub.db import Base, TimestampMixin

TIERS = ("partnership", "county", "district", "unitary")
SERVICE_TIERS = ("partnership", "county", "district")
CHANNELS = ("web", "sms", "email", "api", "phone", "face_to_face")


class Partnership(TimestampMixin, Base):
    __tablename__ = "partnership"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    sms_number: Mapped[str | None] = mapped_column(String(32))
    email_address: Mapped[str | None] = mapped_column(String(254))
    triage_authority_code: Mapped[str] = mapped_column(String(16))
    # The whole validated document, for settings that only workflows read (rounds, holidays…).
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    document_sha256: Mapped[str] = mapped_column(String(64))


class Authority(TimestampMixin, Base):
    __tablename__ = "authority"
    __table_args__ = (CheckConstraint(f"tier IN {TIERS!r}", name="tier_known"),)

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    tier: Mapped[str] = mapped_column(String(16))
    partner: Mapped[bool]
    county_code: Mapped[str | None] = mapped_column(ForeignKey("authority.code"))
    phone: Mapped[str | None] = mapped_column(String(32))
    web: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(default=True)


class PostcodeSector(Base):
    __tablename__ = "postcode_sector"

    sector: Mapped[str] = mapped_column(String(8), primary_key=True)
    authority_code: Mapped[str] = mapped_column(ForeignKey("authority.code"), index=True)


class Service(TimestampMixin, Base):
    __tablename__ = "service"
    __table_args__ = (CheckConstraint(f"tier IN {SERVICE_TIERS!r}", name="tier_known"),)

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    tier: Mapped[str] = mapped_column(String(16))
    workflow: Mapped[str | None] = mapped_column(String(40))
    needs: Mapped[list[str]] = mapped_column(JSON, default=list)
    sla_hours: Mapped[int]
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    urgent_terms: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)


class ContactCost(Base):
    """Unit cost of one contact by channel and handling, for the channel-shift reports."""

    __tablename__ = "contact_cost"

    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    self_service: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    assisted: Mapped[Decimal] = mapped_column(Numeric(8, 2))
