"""The one place that speaks Twilio's REST API, through the official client.

Everything past this module deals in the hub's own terms: a sid on success,
`PermanentDeliveryError` when sending again cannot help (a bad or unsubscribed number),
`TransientDeliveryError` when it may (Twilio busy or down, the network), which the job
system retries on its own schedule.
"""
from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from channels.sms.phone import mask
from hub.messaging.service import PermanentDeliveryError

log = logging.getLogger(__name__)

TWILIO_HOST_SUFFIX = ".twilio.com"
# Twilio error codes meaning the recipient has opted out of texts from this sender.
OPTED_OUT_CODES = frozenset({21610})


class TransientDeliveryError(RuntimeError):
    """Twilio could not take the message now; the same request may succeed later."""


class OptedOutError(PermanentDeliveryError):
    """The recipient has opted out (STOP): never text them until they send START."""


class _HttpClient(TwilioHttpClient):
    """Twilio's own HTTP client, optionally pointed somewhere else (a test stub).

    Refuses any host that is not Twilio's, so a misbuilt URL cannot send credentials
    elsewhere; the rewrite keeps the path and query untouched.
    """

    def __init__(self, base_url: str | None, timeout: float):
        super().__init__(timeout=timeout)
        self.base = urlsplit(base_url.rstrip("/")) if base_url else None

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        parts = urlsplit(url)
        if parts.scheme != "https" or not (parts.hostname or "").endswith(TWILIO_HOST_SUFFIX):
            raise ValueError(f"refusing to send a Twilio request to {parts.scheme}://{parts.hostname}")
        if self.base is not None:
            url = urlunsplit((self.base.scheme, self.base.netloc, self.base.path + parts.path, parts.query, ""))
        return super().request(method, url, *args, **kwargs)

    def close(self) -> None:
        if self.session is not None:
            self.session.close()


def is_messaging_service(sender: str) -> bool:
    return sender.startswith("MG") and len(sender) == 34


class TwilioSms:
    """Sends texts with the account's credentials from a number or a Messaging Service."""

    def __init__(self, account_sid: str, auth_token: str, sender: str, *, api_base_url: str | None = None,
                 timeout: float = 10.0):
        self.account_sid, self.auth_token, self.sender = account_sid, auth_token, sender
        self.api_base_url, self.timeout = api_base_url, timeout

    def send_sms(self, to: str, body: str, status_callback: str | None = None) -> str:
        """Hand one text to Twilio; return its sid (SM...)."""
        params: dict[str, Any] = {"to": to, "body": body}
        if is_messaging_service(self.sender):
            params["messaging_service_sid"] = self.sender
        else:
            params["from_"] = self.sender
        if status_callback:
            params["status_callback"] = status_callback
        http = _HttpClient(self.api_base_url, self.timeout)
        try:
            client = Client(self.account_sid, self.auth_token, http_client=http)
            return client.messages.create(**params).sid
        except TwilioRestException as exc:
            raise _hub_error(exc, to) from exc
        except requests.RequestException as exc:
            raise TransientDeliveryError(f"Twilio unreachable: {type(exc).__name__}") from exc
        finally:
            http.close()


def _hub_error(exc: TwilioRestException, to: str) -> Exception:
    """Split Twilio's refusals: busy or broken on their side is worth retrying, the rest is not."""
    text = f"Twilio {exc.status} error {exc.code}: {exc.msg}"[:300]
    if exc.status == 429 or exc.status >= 500 or exc.status in (401, 403):
        # 401/403 are our credentials, not the citizen's number: retry while someone fixes them.
        log.warning("Twilio refused for now", extra={"status": exc.status, "code": exc.code, "to": mask(to)})
        return TransientDeliveryError(text)
    log.warning("Twilio refused for good", extra={"status": exc.status, "code": exc.code, "to": mask(to)})
    if exc.code in OPTED_OUT_CODES:
        return OptedOutError(f"opted out ({text})"[:300])
    return PermanentDeliveryError(text)
