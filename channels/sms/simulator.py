"""Development only (HUB_ENV=development): a phone in the browser at /dev/phone.

Someone trying the hub types a text as any number and sees the hub's replies, without a
Twilio account (see channels.sms.devphone for how the texts travel).
"""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from channels.sms import devphone
from channels.sms.routes import public
from channels.sms.phone import to_e164
from hub.partnership.service import current

bp = Blueprint("sms_simulator", __name__, url_prefix="/dev/phone", static_folder="static")
DEFAULT_PHONE = "+447700900123"


class TextForm(FlaskForm):
    phone = StringField("Your phone number", validators=[DataRequired(), Length(max=20)])
    body = TextAreaField("Message", validators=[DataRequired(), Length(max=1600)])


@bp.route("", methods=["GET", "POST"])
@public  # development only: registered when HUB_ENV=development
def phone():  # type: ignore[no-untyped-def]
    form = TextForm(phone=request.args.get("phone") or DEFAULT_PHONE)
    status = None
    if form.validate_on_submit():
        number = to_e164(form.phone.data) or form.phone.data
        status = devphone.send_text(number, form.body.data)
        if status == 200:
            return redirect(url_for("sms_simulator.phone", phone=number))
    number = to_e164(form.phone.data) or DEFAULT_PHONE
    settings = current_app.config["HUB_SETTINGS"]
    live = bool(settings.twilio_account_sid and settings.twilio_auth_token and settings.twilio_from)
    return render_template("sms/phone.html", form=form, phone=number, bubbles=devphone.conversation(number),
                           status=status, hub_number=current().partnership.sms_number or "", live=live)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
