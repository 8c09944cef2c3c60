"""Outbound email: one small SMTP adapter, and the shape of every mail the hub sends.

Every mail has its own Message-ID (stored as the message's provider id, so replies thread
back), answers the citizen's last message (In-Reply-To/References), carries the case
reference in the subject, and has the case's private reply address as Reply-To. Mail the
hub sends by itself is marked `Auto-Submitted: auto-replied` so other systems' robots do
not answer it, and no address gets more than a few automatic mails an hour.
"""
from __future__ import annotations

import datetime as dt
import html
import logging
import secrets
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from flask import current_app

from channels.email import queries
from channels.email.addresses import hub_address, hub_name, is_ours, reply_address
from channels.email.loops import is_robot_address
from channels.email.parse import format_address
from hub.cases.models import Case, Message
from hub.config import Settings
from hub.db import utcnow
from hub.messaging.service import PermanentDeliveryError

log = logging.getLogger(__name__)

AUTOMATIC_PER_HOUR = 5
SMTP_TIMEOUT = 30


def _html(text: str) -> str:
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    body = "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return f'<!DOCTYPE html><html lang="en"><body style="font-family: Arial, sans-serif">{body}</body></html>'


def _subject(case: Case, last_subject: str | None) -> str:
    if last_subject and case.reference not in last_subject:
        base = last_subject if last_subject.lower().startswith("re:") else f"Re: {last_subject}"
        return f"{base} [{case.reference}]"[:250]
    if last_subject:
        return last_subject if last_subject.lower().startswith("re:") else f"Re: {last_subject}"
    return f"Your enquiry to {hub_name()} [{case.reference}]"


def compose(message: Message, case: Case) -> EmailMessage:
    """The email for one outbound message on a case (plain text and HTML parts)."""
    automatic = message.author_id is None
    last = queries.latest_inbound_email(case.id)
    text = (f"{message.body.strip()}\n\n"
            f"Your reference is {case.reference}. To add anything, reply to this email and keep the "
            f"reference in the subject.\n\n{hub_name()}")
    if automatic:
        text += "\n\nThis message was sent automatically."
    mail = EmailMessage()
    domain = hub_address().rpartition("@")[2]
    # Short enough never to be folded, random enough never to collide across databases.
    mail["Message-ID"] = f"<{secrets.token_hex(10)}.m{message.id}@{domain}>"
    mail["Date"] = format_datetime(utcnow())
    mail["From"] = format_address(hub_name(), hub_address())
    mail["To"] = message.recipient or ""
    mail["Reply-To"] = reply_address(case)
    mail["Subject"] = _subject(case, last.subject if last else None)
    if last is not None and last.provider_id:
        mail["In-Reply-To"] = last.provider_id
        mail["References"] = last.provider_id
    if automatic:
        mail["Auto-Submitted"] = "auto-replied"
        mail["X-Auto-Response-Suppress"] = "All"
    mail.set_content(text)
    mail.add_alternative(_html(text), subtype="html")
    return mail


def smtp_send(settings: Settings, mail: EmailMessage, recipient: str) -> None:
    """Hand one mail to the configured SMTP server; 5xx is permanent, anything else retryable."""
    assert settings.smtp_host
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT) as smtp:
            smtp.ehlo()
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.smtp_password or "")
            smtp.send_message(mail, from_addr=hub_address(), to_addrs=[recipient])
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        if all(code >= 500 for code in codes):
            raise PermanentDeliveryError(f"recipient refused: {codes}") from exc
        raise
    except smtplib.SMTPResponseException as exc:
        if exc.smtp_code >= 500:
            raise PermanentDeliveryError(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}"[:300]) from exc
        raise  # 4xx: try again later


def send(message: Message, case: Case) -> str:
    """The email channel's sender (registered when SMTP_HOST is set): returns the Message-ID."""
    recipient = message.recipient or ""
    if message.author_id is None:
        if is_robot_address(recipient) or is_ours(recipient):
            raise PermanentDeliveryError("not sent: automatic mail never goes to robot or our own addresses")
        recent = queries.automatic_mail_sent_since(recipient, dt.timedelta(hours=1))
        if recent >= AUTOMATIC_PER_HOUR:
            log.warning("automatic email not sent: hourly limit reached",
                        extra={"case": case.reference, "limit": AUTOMATIC_PER_HOUR})
            raise PermanentDeliveryError(f"not sent: {AUTOMATIC_PER_HOUR} automatic emails to this address "
                                         "in the last hour already")
    mail = compose(message, case)
    smtp_send(current_app.config["HUB_SETTINGS"], mail, recipient)
    log.info("email sent", extra={"case": case.reference, "automatic": message.author_id is None})
    return str(mail["Message-ID"])


def polite_refusal(original_headers: EmailMessage, reason: str) -> None:
    """Tell a person their mail could not be taken (used where SMTP cannot refuse it for us)."""
    from channels.email.parse import header_address, message_ids

    recipient = header_address(str(original_headers.get("From", "")))
    if not recipient or is_robot_address(recipient):
        return
    mail = EmailMessage()
    mail["Message-ID"] = make_msgid(domain=hub_address().rpartition("@")[2])
    mail["Date"] = format_datetime(utcnow())
    mail["From"] = format_address(hub_name(), hub_address())
    mail["To"] = recipient
    mail["Subject"] = "We could not accept your email"
    ids = message_ids(str(original_headers.get("Message-ID", "")))
    if ids:
        mail["In-Reply-To"] = ids[0]
        mail["References"] = ids[0]
    mail["Auto-Submitted"] = "auto-replied"
    mail["X-Auto-Response-Suppress"] = "All"
    text = (f"Thank you for writing to {hub_name()}. We could not accept your email because {reason}.\n\n"
            "Please send it again with smaller attachments (photos can be reduced in size), or use the "
            "contact form on our website.\n\nThis message was sent automatically.")
    mail.set_content(text)
    mail.add_alternative(_html(text), subtype="html")
    settings = current_app.config["HUB_SETTINGS"]
    if settings.smtp_host:
        smtp_send(settings, mail, recipient)
    log.info("polite refusal %s", "sent" if settings.smtp_host else "logged (no SMTP)", extra={"reason": reason})
