"""Loop protection: which mail must never get an automatic answer.

Answering an out-of-office reply, a bounce or a mailing list is how helpdesks end up in
mail loops with each other (and how a council ends up acknowledging spam to a list of
thousands). Any one signal is enough; the reason is logged and stored.
"""
from __future__ import annotations

from email.message import EmailMessage

from channels.email.parse import ParsedEmail, message_ids

_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
_ROBOT_LOCALPARTS = {"mailer-daemon", "postmaster", "noreply", "no-reply", "donotreply", "do-not-reply", "bounce",
                     "bounces"}


def _has(msg: EmailMessage, name: str) -> bool:
    return msg.get(name) is not None


def automatic_reason(parsed: ParsedEmail) -> str | None:
    """Why this mail was sent by a machine (so it gets no answer), or None for a person."""
    msg = parsed.message
    auto_submitted = str(msg.get("Auto-Submitted", "") or "").strip().lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return f"Auto-Submitted: {auto_submitted}"
    for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress"):
        if _has(msg, name):
            return f"{name} header"
    precedence = str(msg.get("Precedence", "") or "").strip().lower()
    if precedence in _PRECEDENCE:
        return f"Precedence: {precedence}"
    for name in ("List-Id", "List-Unsubscribe"):
        if _has(msg, name):
            return f"mailing list ({name})"
    return_path = str(msg.get("Return-Path", "") or "").strip()
    if return_path == "<>" or parsed.envelope_sender == "":
        return "null sender (a bounce)"
    if msg.get_content_type() == "multipart/report":
        return "delivery or read report (multipart/report)"
    if parsed.sender.partition("@")[0] in _ROBOT_LOCALPARTS:
        return f"robot sender ({parsed.sender.partition('@')[0]})"
    return None


def is_robot_address(address: str) -> bool:
    """An address no automatic mail should go to (a last check at sending time)."""
    return address.lower().partition("@")[0] in _ROBOT_LOCALPARTS


def is_bounce(parsed: ParsedEmail) -> bool:
    """A delivery failure report (rather than an out-of-office or a list)."""
    msg = parsed.message
    if msg.get_content_type() == "multipart/report":
        return str(msg.get_param("report-type") or "").lower() == "delivery-status"
    return (str(msg.get("Return-Path", "") or "").strip() == "<>" or parsed.envelope_sender == ""
            or parsed.sender.partition("@")[0] in ("mailer-daemon", "postmaster"))


def bounced_message_ids(parsed: ParsedEmail) -> list[str]:
    """Message-IDs of our own mail that a delivery report quotes (its returned headers)."""
    found: list[str] = []
    for part in parsed.message.walk():
        if part.get_content_type() in ("message/rfc822", "message/rfc822-headers", "text/rfc822-headers"):
            payload = part.get_payload()
            inner = payload[0] if isinstance(payload, list) and payload else payload
            text = inner.as_string() if hasattr(inner, "as_string") else str(inner or "")
            for line in text.splitlines():
                if line.lower().startswith("message-id:"):
                    found += message_ids(line)
    return found
