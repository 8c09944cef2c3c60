"""Twilio's webhooks: inbound texts and delivery callbacks, both signed, both idempotent.

The TwiML answer leaves only after the request's commit (hub.web commits in an
after_request hook, which runs before the response is sent; a failed commit turns the
answer into a 500 and Twilio retries), so a text is never acknowledged and then lost.
The jobs the text queued are dispatched only once the answer has been sent: with
in-process jobs, triage would otherwise run before Twilio hears back (it gives up after
15 s), and with RQ it saves the enqueue round trips. They are in the outbox already, so a
process that dies in between loses nothing: `hub sweep` sends them.
"""
from __future__ import annotations

import logging
from functools import partial

from flask import Blueprint, Flask, Response, abort, current_app, request
from twilio.twiml.messaging_response import MessagingResponse

from channels.sms import service, signature
from channels.sms.phone import mask
from hub.auth.access import public
from hub.jobs.dispatch import dispatch, take_new
from hub.messaging.service import register_sender

log = logging.getLogger(__name__)
bp = Blueprint("sms", __name__, url_prefix="/channels/sms")


@bp.before_request
def _verify_signature() -> None:
    settings = current_app.config["HUB_SETTINGS"]
    reason = signature.refusal(request, settings)
    if reason is not None:
        log.warning("Twilio webhook refused: %s", reason,
                    extra={"path": request.path, "reason": reason, "remote": request.remote_addr})
        abort(403)


def _required(*names: str) -> list[str]:
    values = [request.form.get(name, "") for name in names]
    missing = [name for name, value in zip(names, values) if not value]
    if missing:
        log.warning("Twilio webhook refused: missing %s", ", ".join(missing), extra={"path": request.path})
        abort(400, f"missing {', '.join(missing)}")
    return values


@bp.post("/twilio")
@public  # Twilio: authenticated by its signature, checked before every view here
def inbound() -> Response:
    sid, from_number = _required("MessageSid", "From")
    reply = service.handle_inbound(message_sid=sid, from_number=from_number, body=request.form.get("Body", ""))
    twiml = MessagingResponse()
    if reply:
        twiml.message(reply)
    log.debug("TwiML answer", extra={"sid": sid, "from": mask(from_number), "reply": bool(reply)})
    response = Response(str(twiml), mimetype="text/xml")
    # Taken before hub.web's commit hook would dispatch them; if that commit fails, this
    # response is replaced by a 500 and the callback never runs.
    response.call_on_close(partial(_dispatch_after_answer, current_app._get_current_object(), take_new()))
    return response


def _dispatch_after_answer(app: Flask, job_ids: list[int]) -> None:
    if job_ids:
        with app.app_context():
            dispatch(job_ids)


@bp.post("/twilio/status")
@public
def status() -> Response:
    sid, state = _required("MessageSid", "MessageStatus")
    outcome = service.record_status(message_sid=sid, status=state, error_code=request.form.get("ErrorCode") or None)
    return Response(outcome, mimetype="text/plain")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    csrf = app.extensions.get("csrf")
    if csrf is not None:  # Twilio cannot send a CSRF token; the signature is the check.
        csrf.exempt(bp)
    settings = app.config["HUB_SETTINGS"]
    if settings.twilio_account_sid and settings.twilio_auth_token and settings.twilio_from:
        register_sender(app, "sms", service.make_sender(settings))
    if settings.is_development:
        from channels.sms import simulator

        simulator.init_app(app)
