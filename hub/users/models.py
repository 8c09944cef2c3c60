"""Staff accounts and the councils each belongs to (the basis of every data-scoping check), and
the recent failed sign-ins per client address (the brake every web process shares)."""
from __future__ import annotations

import datetime as dt

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.db import Base, TimestampMixin, utcnow

ROLES = ("adviser", "manager", "admin")


class User(UserMixin, TimestampMixin, Base):
    __tablename__ = "user"
    __table_args__ = (CheckConstraint(f"role IN {ROLES!r}", name="role_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    failed_sign_ins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None]
    last_sign_in_at: Mapped[dt.datetime | None]

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    @property
    def authority_codes(self) -> frozenset[str]:
        return frozenset(m.authority_code for m in self.memberships)


class Membership(Base):
    __tablename__ = "membership"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    authority_code: Mapped[str] = mapped_column(ForeignKey("authority.code"), primary_key=True)

    user: Mapped[User] = relationship(back_populates="memberships")


class SignInFailure(Base):
    """One failed sign-in from a client address, kept for the brake's window and then pruned.

    In the database rather than in each process's memory, so that every web process (and
    server) counts the same failures; `(ip, at)` makes the brake's check one index range scan,
    `at` alone makes pruning one.
    """

    __tablename__ = "sign_in_failure"
    __table_args__ = (Index("ix_sign_in_failure_ip", "ip", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ip: Mapped[str] = mapped_column(String(45))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
