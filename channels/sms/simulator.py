"""Development only (HUB_ENV=development): a phone in the browser at /dev/phone.

Someone trying the hub types a text as any number and sees the hub's replies, without a
Twilio account. Each text goes through the real webhook, signed the way Twilio signs it
(with the configured auth token, or the dev token), so the simulator exercises exactly the
path a real text takes; replies are the ones recorded for that number (texts are logged,
not sent, without credentials) plus the instant TwiML answers to commands.
"""
from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, Flask, current_app, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from twilio.request_validator import RequestValidator
from werkzeug.test import Client
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from channels.sms import signature
from channels.sms.phone import to_e164
from hub.cases import queries as cases
from hub.citizens import queries as citizens
from hub.db import utcnow
from hub.partnership.service import current

bp = Blueprint("sms_simulator", __name__, url_prefix="/dev/phone")
WEBHOOK = "/channels/sms/twilio"
DEFAULT_PHONE = "+447700900123"


@dataclass
class Bubble:
    at: datetime
    direction: str  # "inbound" (from the phone) or "outbound" (from the hub)
    body: str
    note: str = ""


class TextForm(FlaskForm):
    phone = StringField("Your phone number", validators=[DataRequired(), Length(max=20)])
    body = TextAreaField("Message", validators=[DataRequired(), Length(max=1600)])


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
    bubbles.append(Bubble(utcnow(), "inbound", body))
    if answer.status_code == 200:
        for message in ET.fromstring(answer.get_data()).iter("Message"):
            bubbles.append(Bubble(utcnow(), "outbound", message.text or "", "instant answer"))
    answer.close()
    return answer.status_code


def conversation(phone: str) -> list[Bubble]:
    citizen = citizens.find_by_phone(phone)
    stored = cases.citizen_messages(citizen.id, channel="sms") if citizen else []
    bubbles = [Bubble(m.created_at, m.direction, m.body, m.delivery_status or "") for m in stored]
    seen = {(b.direction, b.body) for b in bubbles}
    instant = [b for b in _instant(current_app).get(phone, []) if (b.direction, b.body) not in seen]
    return sorted(bubbles + instant, key=lambda b: b.at)


@bp.route("", methods=["GET", "POST"])
def phone():  # type: ignore[no-untyped-def]
    form = TextForm(phone=request.args.get("phone") or DEFAULT_PHONE)
    status = None
    if form.validate_on_submit():
        number = to_e164(form.phone.data) or form.phone.data
        status = send_text(number, form.body.data)
        if status == 200:
            return redirect(url_for("sms_simulator.phone", phone=number))
    number = to_e164(form.phone.data) or DEFAULT_PHONE
    return render_template("sms/phone.html", form=form, phone=number, bubbles=conversation(number),
                           status=status, hub_number=current().partnership.sms_number or "")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
