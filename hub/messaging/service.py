"""Replies to citizens on their channel, through whichever adapter the channel registered.

The hub core speaks in its own terms (`send_reply(case, text)`); channel packages register
a sender per channel at start-up. Without one (or without provider credentials) the
message is recorded and logged, not sent, so development needs no accounts.
"""
from __future__ import annotations

import logging
from typing import Any, Callable

from flask import current_app

from hub.cases import queries as cases
from hub.cases.models import Case, Message
from hub.citizens import queries as citizens
from hub.jobs.dispatch import enqueue

log = logging.getLogger(__name__)

Sender = Callable[[Message, Case], str | None]  # returns the provider's id, raises on failure


class PermanentDeliveryError(RuntimeError):
    """The provider refused for good (bad number, opted out): do not retry."""


def register_sender(app: Any, channel: str, sender: Sender) -> None:
    app.extensions.setdefault("hub.senders", {})[channel] = sender


def send_reply(case: Case, text: str, *, channel: str | None = None, key: str | None = None,
               author_id: int | None = None) -> Message:
    """Record an outbound public message on the case and queue its delivery."""
    channel = channel or case.channel
    citizen = citizens.get(case.citizen_id) if case.citizen_id else None
    recipient = None
    if citizen is not None:
        recipient = citizen.phone if channel == "sms" else citizen.email if channel == "email" else None
    msg = cases.add_message(case, direction="outbound", channel=channel, recipient=recipient, body=text,
                            delivery_status="queued", author_id=author_id)
    enqueue("send_message", case_id=case.id, key=key or f"deliver:{msg.id}", message_id=msg.id)
    return msg


def deliver(*, case_id: int, message_id: int) -> None:
    """Job: hand one outbound message to its channel's adapter, once."""
    msg = next((m for m in cases.messages(case_id) if m.id == message_id), None)
    if msg is None or msg.delivery_status not in ("queued", None):
        return
    case = cases.get_case(case_id)
    assert case is not None
    sender = current_app.extensions.get("hub.senders", {}).get(msg.channel)
    if sender is None or msg.recipient is None:
        msg.delivery_status = "logged" if msg.channel in ("sms", "email") else "posted"
        log.info("reply recorded without sending", extra={"case": case.reference, "channel": msg.channel})
        return
    try:
        msg.provider_id = sender(msg, case)
        msg.delivery_status = "sent"
    except PermanentDeliveryError as exc:
        msg.delivery_status, msg.delivery_error = "failed", str(exc)[:300]
        log.warning("delivery refused", extra={"case": case.reference, "reason": str(exc)})


def give_up(*, task: str, args: dict[str, Any], case_id: int | None, error: str) -> None:
    """Delivery failed after every retry: record it on the message and tell advisers."""
    if case_id is None:
        return
    msg = next((m for m in cases.messages(case_id) if m.id == args.get("message_id")), None)
    case = cases.get_case(case_id)
    if msg is not None:
        msg.delivery_status, msg.delivery_error = "failed", error[:300]
    if case is not None:
        cases.add_event(case, "delivery_failed", reason=f"A reply could not be delivered: {error}")
