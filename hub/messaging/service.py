"""Replies to citizens on their channel, through whichever adapter the channel registered.

The hub core speaks in its own terms (`send_reply(case, text)`); channel packages register
a sender per channel at start-up. Without one (or without provider credentials) the
message is recorded and logged, not sent, so development needs no accounts.
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Callable

from flask import current_app

from hub.cases import queries as cases
from hub.cases.models import Case, Message
from hub.db import utcnow
from hub.jobs.dispatch import enqueue

log = logging.getLogger(__name__)

Sender = Callable[[Message, Case], str | None]  # returns the provider's id, raises on failure


class PermanentDeliveryError(RuntimeError):
    """The provider refused for good (bad number, opted out): do not retry."""


def register_sender(app: Any, channel: str, sender: Sender) -> None:
    app.extensions.setdefault("hub.senders", {})[channel] = sender


def can_send(channel: str) -> bool:
    """Whether a provider is configured for ``channel`` (not in development without accounts)."""
    return current_app.extensions.get("hub.senders", {}).get(channel) is not None


def recipient_for(case: Case, channel: str) -> str | None:
    """Where a reply on ``channel`` goes: the number or address this case came with, or nowhere.

    Never the shared citizen record's: its details may have come with someone else's
    contact, and a reply there would disclose this case to them (decision 0024).
    """
    return case.contact_phone if channel == "sms" else case.contact_email if channel == "email" else None


def send_reply(case: Case, text: str, *, channel: str | None = None, key: str | None = None,
               author_id: int | None = None) -> Message:
    """Record an outbound public message on the case and queue its delivery."""
    channel = channel or case.channel
    msg = cases.add_message(case, direction="outbound", channel=channel, recipient=recipient_for(case, channel),
                            body=text, delivery_status="queued", author_id=author_id)
    enqueue("send_message", case_id=case.id, key=key or f"deliver:{msg.id}", message_id=msg.id)
    return msg


class DeliveryInProgress(RuntimeError):
    """Another attempt is with the provider for this message right now: try again later."""


def deliver(*, case_id: int, message_id: int) -> None:
    """Job: hand one outbound message to its channel's adapter, once.

    The message is marked "sending" and that mark committed before the provider is called,
    so a second delivery of the same message at the same time sends nothing (it asks to be
    retried later, in case the first dies). If the process dies between the provider
    accepting the message and "sent" being recorded, the message stays "sending"; once
    that mark is older than the send job's lease the message is sent again. A rare
    duplicate text is preferred to a reply silently lost (docs/decisions/0021).
    """
    from hub.jobs.dispatch import commit_progress
    from hub.jobs.registry import TASKS

    msg = cases.get_message(message_id, lock=True)
    if msg is None or msg.case_id != case_id or msg.delivery_status not in ("queued", "sending", None):
        return
    case = cases.get_case(case_id)
    assert case is not None
    sender = current_app.extensions.get("hub.senders", {}).get(msg.channel)
    if sender is None or msg.recipient is None:
        msg.delivery_status = "logged" if msg.channel in ("sms", "email") else "posted"
        log.info("reply recorded without sending", extra={"case": case.reference, "channel": msg.channel})
        return
    interrupted = msg.delivery_status == "sending"
    stale_before = utcnow() - dt.timedelta(seconds=TASKS["send_message"].lease)
    if not cases.claim_sending(message_id, stale_before=stale_before):
        raise DeliveryInProgress(f"message {message_id} is being sent by another attempt")
    if interrupted:
        log.warning("sending again a reply whose earlier attempt died mid-send",
                    extra={"case": case.reference, "message_id": message_id})
    commit_progress()
    # No row lock from here on: the provider call may be slow, and status callbacks for
    # this message must not wait for it.
    msg = cases.get_message(message_id)
    assert msg is not None
    try:
        provider_id = sender(msg, case)
    except PermanentDeliveryError as exc:
        msg.delivery_status, msg.delivery_error = "failed", str(exc)[:300]
        log.warning("delivery refused", extra={"case": case.reference, "reason": str(exc)})
        return
    except Exception:
        # Not sent: give the message back (committed now, since the runner rolls back a
        # failed attempt) so the retry can send it.
        msg.delivery_status, msg.send_started_at = "queued", None
        commit_progress()
        raise
    msg.provider_id, msg.delivery_status = provider_id, "sent"


def give_up(*, task: str, args: dict[str, Any], case_id: int | None, error: str) -> None:
    """Delivery failed after every retry: record it on the message and tell advisers.

    Not if the message went out after all, or another attempt is with the provider now
    (its retries were spent waiting for that attempt, which records the outcome itself).
    """
    from hub.jobs.registry import TASKS

    if case_id is None:
        return
    msg = cases.get_message(args.get("message_id") or 0, lock=True)
    if msg is not None and msg.case_id != case_id:
        msg = None
    if msg is not None and msg.delivery_status not in ("queued", "sending", None):
        return
    if msg is not None and msg.delivery_status == "sending" and msg.send_started_at is not None and \
            utcnow() - msg.send_started_at < dt.timedelta(seconds=TASKS["send_message"].lease):
        return
    case = cases.get_case(case_id)
    if msg is not None:
        msg.delivery_status, msg.delivery_error = "failed", error[:300]
    if case is not None:
        cases.add_event(case, "delivery_failed", reason=f"A reply could not be delivered: {error}")
