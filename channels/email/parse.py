"""One parser for every intake: raw RFC 5322 bytes in, what the hub needs out.

Uses the standard library's modern API (`policy.default`). Charsets are tolerated rather
than trusted: an unknown or wrong charset falls back to UTF-8 and then Windows-1252, which
is what mislabelled council-area mail almost always is. The raw bytes are kept elsewhere;
this module never changes them.
"""
from __future__ import annotations

import email
import hashlib
import re
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.policy import default as default_policy
from email.utils import getaddresses, parseaddr

from channels.email.htmltext import html_to_text

MSG_ID_RE = re.compile(r"<([^<>\s]{1,250})>")
# ISO-8859-1 and ASCII labels are, in practice, Windows-1252 (as browsers treat them).
_AS_CP1252 = {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "iso8859-1", "windows-1252", "cp1252"}


class NotAnEmail(ValueError):
    """The bytes are not an RFC 5322 message we can take (no sender, no headers)."""


@dataclass
class Attachment:
    filename: str
    content_type: str
    data: bytes


@dataclass
class ParsedEmail:
    message: EmailMessage
    message_id: str  # the Message-ID with its angle brackets, or a content hash when absent
    sender: str  # lower-cased address from From:
    sender_name: str | None
    envelope_sender: str | None
    subject: str
    text: str  # what the citizen wrote, whole (history stripping happens in triage)
    recipients: list[str]
    references: list[str]  # In-Reply-To first, then References newest first
    attachments: list[Attachment] = field(default_factory=list)
    html_only: bool = False


def decode_text(part: Message) -> str:
    """The text of one part, whatever its declared charset says."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return str(part.get_payload() or "")
    charset = (part.get_content_charset() or "").lower()
    if charset in _AS_CP1252:
        try:
            return payload.decode("utf-8") if charset in ("us-ascii", "ascii") else payload.decode("cp1252")
        except UnicodeDecodeError:
            return payload.decode("cp1252", errors="replace")
    if charset:
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        return payload.decode("cp1252", errors="replace")


def _header(msg: Message, name: str) -> str:
    try:
        value = msg.get(name)
    except Exception:  # a header so broken that the policy cannot parse it
        value = None
    return str(value or "").strip()


def message_ids(value: str) -> list[str]:
    return [f"<{m}>" for m in MSG_ID_RE.findall(value or "")]


def parse_bytes(raw: bytes) -> EmailMessage:
    """Parse, refusing what is plainly not an email (so the webhook can answer 400)."""
    if not raw or not raw.strip():
        raise NotAnEmail("the body is empty")
    head = raw[:2000].lstrip()
    if head[:1] in (b"{", b"[", b"<"):
        raise NotAnEmail("the body looks like JSON or HTML, not an RFC 5322 message")
    msg = email.message_from_bytes(raw, policy=default_policy)
    if not isinstance(msg, EmailMessage) or not msg.keys():
        raise NotAnEmail("no message headers were found")
    _, addr = parseaddr(_header(msg, "From"))
    if "@" not in addr:
        raise NotAnEmail("there is no sender address in From:")
    if len(addr) > 254:
        raise NotAnEmail("the sender address is longer than any valid address")
    return msg


def _body_text(msg: EmailMessage) -> tuple[str, bool]:
    body = msg.get_body(preferencelist=("plain", "html"))
    if body is None:
        return "", False
    text = decode_text(body)
    if body.get_content_subtype() == "html":
        return html_to_text(text), True
    return text.replace("\r\n", "\n").strip(), False


def _attachments(msg: EmailMessage) -> list[Attachment]:
    found = []
    parts = msg.iter_attachments() if msg.is_multipart() else iter(())
    for part in parts:
        if part.get_content_maintype() == "multipart":
            continue
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes):
            continue
        found.append(Attachment(filename=part.get_filename() or "", content_type=part.get_content_type(), data=data))
    return found


def parse(raw: bytes, *, envelope_sender: str | None = None,
          envelope_recipients: list[str] | None = None) -> ParsedEmail:
    msg = parse_bytes(raw)
    name, addr = parseaddr(_header(msg, "From"))
    ids = message_ids(_header(msg, "Message-ID"))
    message_id = ids[0] if ids else f"<sha256.{hashlib.sha256(raw).hexdigest()}@hub.invalid>"
    refs = message_ids(_header(msg, "In-Reply-To")) + list(reversed(message_ids(_header(msg, "References"))))
    recipients = [a.lower() for _, a in getaddresses(
        [_header(msg, h) for h in ("To", "Cc", "Delivered-To", "X-Original-To")]) if "@" in a]
    recipients += [r.lower() for r in envelope_recipients or []]
    text, html_only = _body_text(msg)
    return ParsedEmail(
        message=msg, message_id=message_id, sender=addr.lower(), sender_name=(name or "")[:200] or None,
        envelope_sender=envelope_sender, subject=" ".join(_header(msg, "Subject").split()),
        text=text, recipients=recipients[:100], references=list(dict.fromkeys(refs))[:20],
        attachments=_attachments(msg), html_only=html_only,
    )


def header_address(value: str) -> str:
    """The bare address of a header value, lower-cased ('' when none)."""
    return parseaddr(value)[1].lower()


def format_address(name: str, addr: str) -> str:
    local, _, domain = addr.partition("@")
    return str(Address(display_name=name, username=local, domain=domain))
