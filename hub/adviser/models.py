"""What the adviser workspace stores besides cases: who looked at whose data, and council policy.

The audit log answers a council's data-protection question "who has seen this resident's
case?", and the security question "who gave this person access, and when?" (admin changes to
staff accounts: `target_user_id` and `detail`, never a password or second-factor secret);
rows are only ever added. Council policy holds settings an admin sets per council,
such as requiring a second sign-in factor for its staff.
"""
from __future__ import annotations

import datetime as dt

from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from hub.cases.models import Case
from hub.db import Base, utcnow


class AuditLog(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_case", "case_id", "at"),
                      Index("ix_audit_log_target_user", "target_user_id", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(40))  # "view_case", "reply", "transfer", ...
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    ip: Mapped[str | None] = mapped_column(String(45))
    # The staff account an admin change was made to, and what changed (old and new values).
    target_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class CouncilPolicy(Base):
    __tablename__ = "council_policy"

    authority_code: Mapped[str] = mapped_column(ForeignKey("authority.code"), primary_key=True)
    # Staff who belong to this council must use a time-based one-time code at sign-in.
    require_totp: Mapped[bool] = mapped_column(default=False)


# The queue's sort order over the cases that sit in a queue: the first page and "take the
# next case" walk this index in order instead of sorting every open case, and on PostgreSQL
# the included columns let the per-filter counts run as an index-only scan (see bench/).
_QUEUE_WHERE = text("status IN ('open', 'in_progress')")
Index("ix_case_queue_order", Case.priority, Case.sla_due_at, Case.id,
      postgresql_include=["authority_code", "status", "service_code", "channel", "assigned_to_id"],
      postgresql_where=_QUEUE_WHERE, sqlite_where=_QUEUE_WHERE)
