"""What the hub does with a text: commands answered at once, everything else a contact.

Instant answers (HELP, STATUS, START) go back in the webhook's TwiML: they need no case
and Twilio delivers them only if we answered, so a webhook retry cannot send two. Everything
else becomes a contact through `receive_contact` and is answered through the API by the
outbound job, so every reply about a case is recorded on it with its delivery status.
"""
from __future__ import annotations

import logging
from typing import Callable

from channels.sms import keywords, text
from channels.sms.adapter import OptedOutError, TwilioSms
from channels.sms.phone import mask, to_e164
from hub import references
from hub.cases import queries as cases
from hub.cases.models import Case, Message
from hub.cases.service import receive_contact
from hub.citizens.service import set_sms_opt_out, sms_opted_out
from hub.config import Settings
from hub.partnership.service import current

log = logging.getLogger(__name__)

STATUS_PATH = "/channels/sms/twilio/status"
# Twilio's message statuses in the order they happen; a late callback never steps back.
# "delivered", "undelivered" and "failed" are final: the first one to arrive stands.
STATUS_RANK = {"accepted": 0, "scheduled": 0, "queued": 0, "sending": 1, "sent": 2,
               "delivered": 3, "undelivered": 3, "failed": 3, "canceled": 3, "read": 4}
STATUS_WORDS = {
    "new": "received and being looked at",
    "needs_info": "waiting for the information we asked you for",
    "open": "with an adviser",
    "in_progress": "being worked on by an adviser",
    "waiting_citizen": "waiting for your reply",
    "resolved": "resolved",
    "closed": "closed",
}


def handle_inbound(*, message_sid: str, from_number: str, body: str) -> str | None:
    """Act on one inbound text; returns an instant reply for the TwiML answer, or None."""
    phone = to_e164(from_number)
    command = keywords.parse(body)
    if command.kind == "yes":
        command = keywords.Command("start") if sms_opted_out(phone) else keywords.Command("text")
    extra = {"from": mask(phone), "command": command.kind, "sid": message_sid}
    if command.kind == "help":
        log.info("sms HELP", extra=extra)
        return help_text()
    if command.kind in ("stop", "start", "status"):
        if phone is None:
            log.warning("sms command from something that is not a phone number ignored", extra=extra)
            return None
        return _phone_command(command, phone, extra)
    got = receive_contact(channel="sms", body=body, sender=phone or from_number[:254], provider_id=message_sid,
                          phone=phone, postcode=command.argument if command.kind == "bin" else None,
                          chosen_service="waste.bin_day" if command.kind == "bin" else None)
    log.info("sms contact", extra={**extra, "case": got.case.reference, "duplicate": got.duplicate})
    return None


def _phone_command(command: keywords.Command, phone: str, extra: dict[str, object]) -> str | None:
    if command.kind == "stop":
        # Twilio confirms the opt-out itself and would block any reply of ours.
        set_sms_opt_out(phone, True)
        log.info("sms STOP", extra=extra)
        return None
    if command.kind == "start":
        set_sms_opt_out(phone, False)
        log.info("sms START", extra=extra)
        return f"You will get texts from {current().partnership.name} again. Text STOP to stop them."
    return status_reply(phone, command.argument)


def help_text() -> str:
    doc = current()
    return (f"{doc.partnership.name}: text us your question or problem, with your postcode. "
            "BIN and your postcode for your next collections. STATUS and your reference for news "
            "of a case. PERSON to reach an adviser. STOP to stop texts, START to restart.")


def status_reply(phone: str, typed: str | None) -> str:
    """A case's status, only for a case raised from this phone; otherwise nothing about it."""
    if not typed:
        return "Text STATUS and your reference, for example STATUS ABCD-EFGH."
    reference = references.normalise(typed)
    if reference is None:
        return "That is not one of our references (8 letters and numbers, like ABCD-EFGH). Please check it."
    case = cases.get_case_by_reference(reference)
    # The number this case came with, not the shared citizen record's (decision 0024).
    if case is None or case.contact_phone != phone:
        log.info("sms STATUS refused: no such case for this phone", extra={"from": mask(phone)})
        return f"We could not find a case {reference} raised from this phone number."
    doc = current()
    authority = doc.authority(case.authority_code) if case.authority_code else None
    words = STATUS_WORDS.get(case.status, case.status)
    if authority is not None and case.status in ("open", "in_progress"):
        words += f" at {authority.name}"
    return f"Your case {case.reference} is {words}."


def record_status(*, message_sid: str, status: str, error_code: str | None) -> str:
    """Apply Twilio's delivery callback; "updated", "unchanged" or "unknown". Safe to repeat."""
    status = status.lower()
    msg = cases.find_message("sms", "outbound", message_sid, lock=True)
    if msg is None or status not in STATUS_RANK:
        log.info("delivery status ignored", extra={"sid": message_sid, "status": status, "known": msg is not None})
        return "unknown"
    if STATUS_RANK[status] <= STATUS_RANK.get(msg.delivery_status or "queued", 0):
        return "unchanged"
    msg.delivery_status = status
    if status in ("failed", "undelivered"):
        msg.delivery_error = f"Twilio error {error_code or 'unknown'}: {status}"
        if error_code == "21610" and msg.recipient:
            set_sms_opt_out(msg.recipient, True)
        case = cases.get_case(msg.case_id)
        assert case is not None
        cases.add_event(case, "delivery_failed", reason=f"A text to the citizen was {status} (Twilio error {error_code}).")
        log.warning("sms not delivered", extra={"case": case.reference, "code": error_code, "to": mask(msg.recipient)})
    return "updated"


def make_sender(settings: Settings) -> Callable[[Message, Case], str]:
    """The outbound sender the messaging service calls for channel "sms"."""
    assert settings.twilio_account_sid and settings.twilio_auth_token and settings.twilio_from
    adapter = TwilioSms(settings.twilio_account_sid, settings.twilio_auth_token, settings.twilio_from,
                        api_base_url=settings.twilio_api_base_url)
    callback = f"{settings.public_url}{STATUS_PATH}" if settings.public_url else None

    def send(message: Message, case: Case) -> str:
        to = message.recipient or ""
        if sms_opted_out(to):
            raise OptedOutError("opted out: the citizen texted STOP")
        body = text.prepare(message.body)
        cost = text.segments(body)
        try:
            sid = adapter.send_sms(to, body, callback)
        except OptedOutError:
            set_sms_opt_out(to, True)  # Twilio knows of a STOP we never saw
            raise
        log.info("sms sent", extra={"case": case.reference, "to": mask(to), "segments": cost.count,
                                    "encoding": cost.encoding, "shortened": body != message.body.strip()})
        return sid

    return send
