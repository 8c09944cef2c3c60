"""The case event log is append-only: the ORM refuses to change or delete an event."""
from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from hub.cases.models import CaseEvent


class AppendOnlyError(RuntimeError):
    pass


@event.listens_for(Session, "before_flush")
def _refuse_event_changes(sess: Session, _ctx: Any, _instances: Any) -> None:
    for obj in list(sess.dirty) + list(sess.deleted):
        if isinstance(obj, CaseEvent) and (obj in sess.deleted or sess.is_modified(obj)):
            raise AppendOnlyError("case events are append-only")
