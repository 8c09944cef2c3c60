"""Twilio's request signature, checked against the URL Twilio actually called.

Behind a reverse proxy Flask sees its internal URL (http://127.0.0.1:8000/...), but Twilio
signed the public one, so the URL is rebuilt from HUB_PUBLIC_URL. Werkzeug 3.1 decodes
percent-escapes in `request.url`, which would change what was signed: the query string
is taken raw. Without an auth token nothing is accepted; development alone falls back to a
published dev token, which the phone simulator signs with.
"""
from __future__ import annotations

from flask import Request
from twilio.request_validator import RequestValidator

from hub.config import Settings

DEV_AUTH_TOKEN = "dev-only-twilio-auth-token"


def auth_token(settings: Settings) -> str | None:
    if settings.twilio_auth_token:
        return settings.twilio_auth_token
    return DEV_AUTH_TOKEN if settings.is_development else None


def signed_url(request: Request, settings: Settings) -> str:
    base = settings.public_url or request.url_root.rstrip("/")
    query = request.query_string.decode("ascii", "replace")
    return f"{base}{request.path}" + (f"?{query}" if query else "")


def refusal(request: Request, settings: Settings) -> str | None:
    """Why the request is not Twilio's (for the log), or None when the signature is good."""
    token = auth_token(settings)
    if token is None:
        return "no Twilio auth token is configured"
    signature = request.headers.get("X-Twilio-Signature")
    if not signature:
        return "no X-Twilio-Signature header"
    if not RequestValidator(token).validate(signed_url(request, settings), request.form, signature):
        return "X-Twilio-Signature does not match"
    return None
