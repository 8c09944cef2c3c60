"""`hub email smtp`: an SMTP listener that takes inbound mail for the hub's own domain.

It is not a relay: recipients outside the hub's domain are refused at RCPT. A message is
stored and committed before "250" is answered, so the sending server keeps it (and
retries) until we have it. Mail over 10 MB is refused with a polite 552, which the sending
server turns into a bounce the citizen can read.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiosmtpd.controller import Controller
from flask import Flask

from channels.email import intake
from channels.email.addresses import is_ours
from hub.db import get_session
from hub.jobs.dispatch import commit_and_dispatch

log = logging.getLogger(__name__)

TOO_LARGE = ("552 5.3.4 Sorry, your message is larger than the 10 MB we can accept. "
             "Please send smaller attachments, or use the contact form on our website.")


def store(app: Flask, raw: bytes, mail_from: str | None, rcpt_tos: list[str]) -> intake.Outcome:
    """One unit of work: take the message and commit it (then run or dispatch its jobs)."""
    with app.app_context():
        try:
            outcome = intake.receive(raw, via="smtp", envelope_sender=mail_from, envelope_recipients=rcpt_tos)
            if outcome.stored:
                commit_and_dispatch()
            else:
                get_session().rollback()
            return outcome
        except Exception:
            get_session().rollback()
            raise


class Handler:
    def __init__(self, app: Flask):
        self.app = app

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]) -> str:
        with self.app.app_context():
            ours = is_ours(address)
        if not ours:
            log.warning("smtp recipient refused: not our domain", extra={"domain": address.rpartition("@")[2]})
            return "550 5.7.1 This server only accepts mail for the council contact centre"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", errors="surrogateescape")
        if len(raw) > intake.MAX_MESSAGE_BYTES:
            log.warning("smtp message refused: too large", extra={"size": len(raw)})
            return TOO_LARGE
        loop = asyncio.get_running_loop()
        try:
            outcome = await loop.run_in_executor(None, store, self.app, raw, envelope.mail_from,
                                                 list(envelope.rcpt_tos))
        except Exception:
            log.exception("smtp message not stored; the sender will retry")
            return "451 4.3.0 Temporary failure, please try again later"
        if outcome.kind == "not_email":
            return f"550 5.6.0 Not an email message: {outcome.reason}"
        if outcome.kind == "too_large":
            return TOO_LARGE
        return f"250 OK {outcome.reference or outcome.kind}"


def make_controller(app: Flask, host: str, port: int) -> Controller:
    """The listener (call .start() and .stop()); a limit above 10 MB so we refuse politely ourselves."""
    return Controller(Handler(app), hostname=host, port=port, data_size_limit=2 * intake.MAX_MESSAGE_BYTES,
                      server_hostname="hub")
