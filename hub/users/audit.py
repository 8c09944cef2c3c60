"""What the audit log keeps of a change to staff accounts: who, from where, to whom, what changed.

Access to residents' data is granted here (roles, councils, the right to sign in), so a
council must be able to answer "who gave this person access, and when?" from the audit log,
not from application logs that rotate away. Rows go through the adviser workspace's one
audit writer, in the same unit of work as the change itself: both commit, or neither does.
`detail` holds old and new values of what changed; never a password, hash or TOTP secret
(a password change is recorded as the fact of it).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hub.adviser.queries import account_audit_rows, record_audit
from hub.users import queries


@dataclass(frozen=True)
class ChangedBy:
    """Who makes the change, from which address; no user for an operator at the server's shell."""

    user_id: int | None = None
    ip: str | None = None
    via: str = "admin screen"


COMMAND_LINE = ChangedBy(via="command line")


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Old and new value of each field that differs; lists (councils) as what was added and removed."""
    out: dict[str, Any] = {}
    for key, new in after.items():
        old = before.get(key)
        if old == new:
            continue
        if isinstance(new, list):
            out[key] = {"added": sorted(set(new) - set(old or [])), "removed": sorted(set(old or []) - set(new))}
        else:
            out[key] = {"from": old, "to": new}
    return out


def record(by: ChangedBy, action: str, target_user_id: int | None, detail: dict[str, Any]) -> None:
    record_audit(user_id=by.user_id, case_id=None, action=action, ip=by.ip, target_user_id=target_user_id,
                 detail={**detail, "via": by.via})


ACTIONS = {"create_user": "Account created", "update_user": "Account changed", "reset_totp": "Second factor reset"}


def _describe(key: str, value: Any) -> str:
    if isinstance(value, dict) and "to" in value:
        return f"{key}: {value['from']} → {value['to']}"
    if isinstance(value, dict) and "added" in value:
        return f"{key}: " + ", ".join([f"+{c}" for c in value["added"]] + [f"−{c}" for c in value["removed"]])
    if isinstance(value, list):
        return f"{key}: {', '.join(value)}"
    return f"{key}: {value}"


def history(user_id: int) -> list[dict[str, Any]]:
    """The latest changes made to one account, newest first, worded for its admin page."""
    rows = account_audit_rows(user_id)
    actors = queries.emails({row.user_id for row in rows if row.user_id is not None})
    return [{"at": row.at, "action": ACTIONS.get(row.action, row.action),
             "by": actors.get(row.user_id) or (row.detail or {}).get("via", "unknown"),
             "what": [_describe(k, v) for k, v in (row.detail or {}).items() if k != "via"]}
            for row in rows]
