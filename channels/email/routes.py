"""`POST /channels/email/inbound`: one raw RFC 5322 message from a mail provider's webhook.

Authenticated by a bearer token compared in constant time; disabled (404) until
HUB_INBOUND_EMAIL_TOKEN is set, so a forgotten setting never leaves it open. The message
is stored and committed (by the request's commit hook) before the provider gets its 200.
"""
from __future__ import annotations

import hmac
import logging

from flask import Blueprint, Flask, abort, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from channels.email import intake

from hub.auth.access import public

log = logging.getLogger(__name__)
bp = Blueprint("email", __name__, url_prefix="/channels/email")

STATUS = {"case": 200, "reply": 200, "automatic": 200, "duplicate": 200, "too_large": 413, "not_email": 400}


def _authorised() -> None:
    token = current_app.config["HUB_SETTINGS"].inbound_email_token
    if not token:
        abort(404)
    given = request.headers.get("Authorization", "")
    if not given.startswith("Bearer "):
        log.warning("inbound email refused: no bearer token", extra={"remote": request.remote_addr})
        response = jsonify(error="a bearer token is required")
        response.status_code = 401
        response.headers["WWW-Authenticate"] = 'Bearer realm="inbound-email"'
        abort(response)
    if not hmac.compare_digest(given[len("Bearer "):].strip().encode(), token.encode()):
        log.warning("inbound email refused: wrong token", extra={"remote": request.remote_addr})
        abort(403)


@bp.post("/inbound")
@public  # a mail provider, authenticated by the bearer token below
def inbound() -> ResponseReturnValue:
    _authorised()
    limit = intake.MAX_MESSAGE_BYTES
    if request.content_length is not None and request.content_length > limit:
        return jsonify(status="too_large", error="the message is larger than 10 MB"), 413
    outcome = intake.receive(request.get_data(cache=False), via="webhook")
    body = {"status": outcome.kind, "reference": outcome.reference}
    if outcome.reason and outcome.kind in ("too_large", "not_email"):
        body["error"] = outcome.reason
    return jsonify(body), STATUS[outcome.kind]


def init_app(app: Flask) -> None:
    """Webhook route, the `hub email …` commands, the SMTP sender when SMTP is configured, and
    the source of emailed files for the adviser workspace."""
    from channels.email.attachments import SOURCE, EmailAttachments
    from channels.email.cli import email_group
    from channels.email.outbound import send
    from hub.adviser.attachments import register_source
    from hub.messaging.service import register_sender

    app.register_blueprint(bp)
    register_source(app, SOURCE, EmailAttachments())
    csrf = app.extensions.get("csrf")
    if csrf is not None:  # a mail provider cannot send a CSRF token; the bearer token is the check
        csrf.exempt(bp)
    app.cli.add_command(email_group)
    if app.config["HUB_SETTINGS"].smtp_host:
        register_sender(app, "email", send)
