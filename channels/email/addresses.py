"""The hub's own addresses: the contact address and each case's private reply address."""
from __future__ import annotations

import re
import secrets

from flask import current_app

from hub.cases.models import Case
from hub.partnership.service import current


def hub_address() -> str:
    """HUB_EMAIL_FROM, else the partnership's published contact address."""
    address = current_app.config["HUB_SETTINGS"].email_from or current().partnership.email_address
    if not address:
        raise RuntimeError("no sender address: set HUB_EMAIL_FROM or the partnership's email_address")
    return address.lower()


def hub_name() -> str:
    return current().partnership.name


def ensure_reply_token(case: Case) -> str:
    """The case's secret reply token, drawn once (128 bits: cannot be guessed)."""
    if not case.reply_token:
        case.reply_token = secrets.token_hex(16)
    return case.reply_token


def reply_address(case: Case) -> str:
    local, _, domain = hub_address().partition("@")
    return f"{local}+{ensure_reply_token(case)}@{domain}"


def reply_token_in(recipients: list[str]) -> str | None:
    """The token of a `contact+<token>@our-domain` address among the recipients."""
    local, _, domain = hub_address().partition("@")
    pattern = re.compile(rf"^{re.escape(local)}\+([0-9a-f]{{32}})@{re.escape(domain)}$")
    for recipient in recipients:
        match = pattern.match(recipient.lower())
        if match:
            return match.group(1)
    return None


def is_ours(recipient: str) -> bool:
    """Mail for the hub's domain (the SMTP listener accepts nothing else: it is not a relay)."""
    return recipient.lower().rpartition("@")[2] == hub_address().rpartition("@")[2]
