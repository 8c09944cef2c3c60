"""The phone simulator's work: text the webhook as Twilio would, and read the conversation back.

Each text goes through the real webhook, signed the way Twilio signs it (with the configured
auth token, or the dev token), so the simulator exercises exactly the path a real text
takes; replies are the ones recorded for that number (logged, not sent, without Twilio
credentials) plus the instant TwiML answers to commands, kept in memory (development only).
"""
from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from flask import Flask, current_app, request
from twilio.request_validator import RequestValidator
from werkzeug.test import Client

from channels.sms import signature
from hub.cases import queries as cases
from hub.citizens import queries as citizens
from hub.partnership.service import current

WEBHOOK = "/channels/sms/twilio"


@dataclass
class Bubble:
    at: dt.datetime
    direction: str  # "inbound" (from the phone) or "outbound" (from the hub)
    body: str
    note: str = ""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _instant(app: Flask) -> dict[str, list[Bubble]]:
    return app.extensions.setdefault("sms.simulator", {})


def send_text(phone: str, body: str) -> int:
    """Post one text to the webhook as Twilio would; keep any instant TwiML answer."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    settings = app.config["HUB_SETTINGS"]
    params = {"MessageSid": "SM" + uuid.uuid4().hex, "AccountSid": settings.twilio_account_sid or "AC" + "0" * 32,
              "From": phone, "To": current().partnership.sms_number or "", "Body": body, "NumMedia": "0"}
    base = settings.public_url or request.url_root.rstrip("/")
    token = signature.auth_token(settings) or ""
    signed = RequestValidator(token).compute_signature(base + WEBHOOK, params)
    answer = Client(app).post(WEBHOOK, data=params, base_url=request.url_root,
                              headers={"X-Twilio-Signature": signed})
    bubbles = _instant(app).setdefault(phone, [])
    bubbles.append(Bubble(_now(), "inbound", body))
    if answer.status_code == 200:
        for message in ET.fromstring(answer.get_data()).iter("Message"):
            bubbles.append(Bubble(_now(), "outbound", message.text or "", "instant answer"))
    answer.close()
    return answer.status_code


def conversation(phone: str) -> list[Bubble]:
    citizen = citizens.find_by_phone(phone)
    stored = cases.citizen_messages(citizen.id, channel="sms") if citizen else []
    bubbles = [Bubble(m.created_at, m.direction, m.body, m.delivery_status or "") for m in stored]
    seen = {(b.direction, b.body) for b in bubbles}
    instant = [b for b in _instant(current_app).get(phone, []) if (b.direction, b.body) not in seen]
    return sorted(bubbles + instant, key=lambda b: b.at)
