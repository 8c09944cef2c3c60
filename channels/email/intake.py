"""The one path every inbound email takes, whichever of the three intakes it came through.

Refuse what is too big or not an email before anything is written; then claim the
Message-ID (the same message twice creates nothing), keep the raw bytes, decide whether a
machine sent it (never answered), find its case or start one, and keep its attachments.
The caller commits, and only then answers the sender: nothing is acknowledged that is not
stored.
"""
from __future__ import annotations

import hashlib
import logging
import mimetypes
import re
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from channels.email import queries
from channels.email.addresses import ensure_reply_token
from channels.email.loops import automatic_reason, bounced_message_ids, is_bounce
from channels.email.models import InboundEmail
from channels.email.parse import Attachment, NotAnEmail, ParsedEmail, parse
from channels.email.threads import find_thread
from hub.cases import queries as cases
from hub.cases.service import receive_contact, storable
from hub.db import get_session

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENTS = 10
# What advisers can safely open: documents and photos. Everything else is refused (named, not kept).
ALLOWED_TYPES = {
    "application/pdf", "image/jpeg", "image/png", "image/gif", "image/webp", "image/heic", "image/heif",
    "text/plain", "text/csv", "application/rtf", "application/msword", "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
}
# Where a format has a signature, the bytes must carry it (a renamed .exe is not a PDF).
MAGIC = {"application/pdf": (b"%PDF",), "image/png": (b"\x89PNG",), "image/jpeg": (b"\xff\xd8\xff",),
         "image/gif": (b"GIF87a", b"GIF89a")}


@dataclass
class Outcome:
    kind: str  # "case", "reply", "automatic", "duplicate", "too_large", "not_email"
    reference: str | None = None
    reason: str | None = None
    sender: str | None = None

    @property
    def stored(self) -> bool:
        return self.kind in ("case", "reply", "automatic")


def receive(raw: bytes, *, via: str, envelope_sender: str | None = None,
            envelope_recipients: list[str] | None = None) -> Outcome:
    """Take one raw message; the caller commits (and answers) only after this returns."""
    if len(raw) > MAX_MESSAGE_BYTES:
        log.warning("email refused: too large", extra={"via": via, "size": len(raw)})
        return Outcome("too_large", reason=f"the message is {len(raw) // (1024 * 1024)} MB; the limit is 10 MB")
    try:
        parsed = parse(raw, envelope_sender=envelope_sender, envelope_recipients=envelope_recipients)
    except NotAnEmail as exc:
        log.warning("email refused: not an email", extra={"via": via, "reason": str(exc)})
        return Outcome("not_email", reason=str(exc))

    message_id = storable(parsed.message_id, 255) or ""
    existing = queries.find_inbound(message_id)
    if existing is not None:
        return _duplicate(existing)
    try:
        row = queries.add_inbound(message_id=message_id, via=via,
                                  sender=storable(parsed.sender, 254),
                                  subject=storable(parsed.subject, 300) or None, size=len(raw), raw=raw, outcome="case")
    except IntegrityError:
        # A concurrent delivery of the same message won the race (this is the unit's first
        # write, so rolling back loses nothing); anything else is a real failure.
        get_session().rollback()
        existing = queries.find_inbound(message_id)
        if existing is None:
            raise
        return _duplicate(existing)

    reason = automatic_reason(parsed)
    if reason is not None:
        return _automatic(row, parsed, reason)
    return _contact(row, parsed)


def _duplicate(existing: InboundEmail) -> Outcome:
    case = cases.get_case(existing.case_id) if existing.case_id else None
    log.info("duplicate email ignored", extra={"case": case.reference if case else None})
    return Outcome("duplicate", reference=case.reference if case else None)


def _automatic(row: InboundEmail, parsed: ParsedEmail, reason: str) -> Outcome:
    """Kept and noted on its case when we can tell which, but never answered."""
    row.outcome, row.reason = "automatic", reason[:300]
    case = None
    for ref_id in bounced_message_ids(parsed) if is_bounce(parsed) else []:
        sent = queries.outbound_email(ref_id)
        if sent is not None:
            case = cases.get_case(sent.case_id)
            sent.delivery_status = "bounced"
            if case is not None:
                cases.add_event(case, "email_bounced", actor="channel:email",
                                reason="An email to the citizen could not be delivered (bounce received).",
                                message_id=sent.id)
            break
    if case is None:
        thread = find_thread(parsed)
        if thread is not None:
            case = thread.case
            cases.add_event(case, "automatic_reply", actor="channel:email",
                            reason=f"An automatic reply was received and not answered ({reason}).")
    row.case_id = case.id if case else None
    log.info("automatic email not answered", extra={"reason": reason, "case": case.reference if case else None,
                                                   "sender_domain": parsed.sender.rpartition("@")[2]})
    return Outcome("automatic", reference=case.reference if case else None, reason=reason, sender=parsed.sender)


def _contact(row: InboundEmail, parsed: ParsedEmail) -> Outcome:
    thread = find_thread(parsed)
    body = parsed.text
    if not body and parsed.attachments:
        body = f"(no text; {len(parsed.attachments)} attachment(s))"
    # Someone else writing to a case's private reply address joins the thread, but their
    # address never becomes the case's contact (replies must keep going to the resident).
    stranger = thread is not None and not thread.from_citizen
    received = receive_contact(channel="email", body=body, subject=parsed.subject[:300] or None,
                               sender=parsed.sender[:254], provider_id=parsed.message_id,
                               name=None if stranger else parsed.sender_name,
                               email=None if stranger else parsed.sender,
                               case=thread.case if thread else None)
    case = received.case
    row.case_id = case.id
    if received.duplicate:
        row.outcome = "duplicate"
        return Outcome("duplicate", reference=case.reference)
    ensure_reply_token(case)
    row.hub_message_id = received.message.id if received.message else None
    row.outcome = "reply" if thread else "case"
    if thread:
        row.reason = f"threaded by {thread.matched_by}"
        if not thread.from_citizen:
            cases.add_event(case, "reply_from_other_address", actor="channel:email",
                            reason="A reply came through the case's reply address from an address "
                                   "other than the citizen's.")
    for attachment in parsed.attachments[:MAX_ATTACHMENTS]:
        _keep(row, case.id, attachment)
    for attachment in parsed.attachments[MAX_ATTACHMENTS:]:
        _keep(row, case.id, attachment, refused=f"more than {MAX_ATTACHMENTS} attachments")
    log.info("email stored", extra={"case": case.reference, "outcome": row.outcome,
                                    "attachments": len(parsed.attachments)})
    return Outcome(row.outcome, reference=case.reference, sender=parsed.sender)


def safe_filename(name: str, content_type: str) -> str:
    """No paths, no control characters, a sensible length; an extension when there was none."""
    name = re.sub(r"[\x00-\x1f\x7f/\\:]+", "_", name.rpartition("/")[2].rpartition("\\")[2]).strip(" .")
    if not name:
        name = "attachment" + (mimetypes.guess_extension(content_type) or ".bin")
    return name[-200:]


def attachment_refusal(attachment: Attachment) -> str | None:
    """Why an attachment is not kept, or None when it is acceptable."""
    ctype = attachment.content_type.lower()
    if ctype == "application/octet-stream" and attachment.filename:
        ctype = (mimetypes.guess_type(attachment.filename)[0] or ctype).lower()
    if ctype not in ALLOWED_TYPES:
        return f"files of type {ctype} are not accepted"
    if len(attachment.data) > MAX_ATTACHMENT_BYTES:
        return "larger than 5 MB"
    if ctype in MAGIC and not attachment.data.startswith(MAGIC[ctype]):
        return f"the content is not really {ctype}"
    return None


def _keep(row: InboundEmail, case_id: int, attachment: Attachment, refused: str | None = None) -> None:
    refused = refused or attachment_refusal(attachment)
    queries.add_attachment(
        inbound_email_id=row.id, case_id=case_id,
        filename=safe_filename(attachment.filename, attachment.content_type),
        content_type=attachment.content_type[:127], size=len(attachment.data),
        sha256=hashlib.sha256(attachment.data).hexdigest(),
        data=None if refused else attachment.data, refused_reason=refused,
    )
    if refused:
        log.info("attachment refused", extra={"reason": refused, "content_type": attachment.content_type})
