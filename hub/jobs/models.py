"""The outbox: work that must happen after a contact is committed, kept until it is done.

Rows are written in the same transaction as the contact, so a Redis outage delays the work
but cannot lose it; `hub sweep` re-dispatches rows left pending.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from hub.db import Base, utcnow

JOB_STATUSES = ("pending", "running", "done", "failed")


class OutboxJob(Base):
    __tablename__ = "outbox_job"
    __table_args__ = (
        CheckConstraint(f"status IN {JOB_STATUSES!r}", name="status_known"),
        Index("ix_outbox_job_pending", "status", "dispatched_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task: Mapped[str] = mapped_column(String(64))
    args: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # An optional idempotency key: enqueueing the same key twice creates one job.
    key: Mapped[str | None] = mapped_column(String(200), unique=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    # Attempts claimed so far (a claim counts, however the attempt ends: done, raised, or its
    # process died), against the task's max_attempts.
    attempts: Mapped[int] = mapped_column(default=0)
    # Of those, attempts whose process died holding the job (its lease ran out): a job that
    # kills its worker every time is given up after max_attempts like one that raises.
    lost_attempts: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    dispatched_at: Mapped[dt.datetime | None]
    # When the current attempt claimed the job: a "running" job is leased to that attempt
    # until started_at + the task's timeout (see hub.jobs.queries.claim).
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]
