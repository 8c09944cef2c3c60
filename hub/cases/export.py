"""Cases as plain JSON-ready dicts, for `hub cases` and other machine readers."""
from __future__ import annotations

from typing import Any

from hub.cases import queries
from hub.cases.models import Case


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def case_summary(case: Case) -> dict[str, Any]:
    return {
        "reference": case.reference, "channel": case.channel, "service": case.service_code,
        "authority": case.authority_code, "status": case.status, "disposition": case.disposition,
        "priority": case.priority, "created_at": _iso(case.created_at), "sla_due_at": _iso(case.sla_due_at),
    }


def case_detail(case: Case) -> dict[str, Any]:
    data = case_summary(case)
    data.update(
        postcode=case.postcode, triage=case.triage, routing_explanation=case.routing_explanation,
        resolved_at=_iso(case.resolved_at),
        messages=[{"direction": m.direction, "channel": m.channel, "body": m.body, "subject": m.subject,
                   "delivery_status": m.delivery_status, "created_at": _iso(m.created_at)}
                  for m in queries.messages(case.id)],
        events=[{"at": _iso(e.at), "actor": e.actor, "kind": e.kind, "reason": e.reason, "data": e.data}
                for e in queries.events(case.id)],
    )
    return data
