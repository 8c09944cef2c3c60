"""Web security for every screen: CSRF, security headers with a strict CSP, rate limits.

CSRF protection for every form is decided in one place. Provider webhooks (/channels/…) and
the Open311 API authenticate each request themselves (signatures, bearer tokens, API keys)
and carry no browser session, so they are the only paths exempt. Everything else that
changes state needs a valid token.
"""
from __future__ import annotations

import logging
import secrets
from functools import wraps
from typing import Any, Callable

from flask import Flask, Response, current_app, g, render_template, request
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFError, CSRFProtect

log = logging.getLogger(__name__)

# Machine-to-machine endpoints (signed webhooks, token-authenticated APIs): no CSRF token.
CSRF_EXEMPT_PREFIXES = ("/channels/", "/open311/")
UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

csrf = CSRFProtect()


def csp_nonce() -> str:
    """A fresh nonce per response, for the one inline script GOV.UK's page template needs."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def _content_security_policy(nonce: str) -> str:
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ])


def init_app(app: Flask) -> None:
    settings = app.config["HUB_SETTINGS"]
    app.config.update(
        # Checked by our own hook below so the exemptions live in one list.
        WTF_CSRF_CHECK_DEFAULT=False,
        WTF_CSRF_ENABLED=True,
        WTF_CSRF_SSL_STRICT=settings.secure_cookies,
        RATELIMIT_STORAGE_URI=settings.redis_url or "memory://",
        RATELIMIT_SWALLOW_ERRORS=True,  # a Redis outage must not lock citizens out of the portal
        RATELIMIT_KEY_PREFIX="hub-limits",
    )
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", 8 * 3600)
    csrf.init_app(app)
    if settings.proxy_count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Trust exactly as many proxies as configured: more would let a client forge its address.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.proxy_count,  # type: ignore[method-assign]
                                x_proto=settings.proxy_count, x_host=settings.proxy_count)
    else:
        warned = []

        @app.before_request
        def _warn_unconfigured_proxy() -> None:
            """Behind a proxy with HUB_PROXY_COUNT=0 every client has the proxy's address, so
            rate limits and the staff sign-in brake would count everyone together (20 wrong
            passwords anywhere lock out every adviser). Said once per process, at the first sign."""
            if not warned and "X-Forwarded-For" in request.headers:
                warned.append(True)
                log.warning("requests arrive through a proxy (X-Forwarded-For) but HUB_PROXY_COUNT is 0: every "
                            "client looks like the proxy to rate limits and the sign-in brake; set "
                            "HUB_PROXY_COUNT to the number of proxies in front of the hub",
                            extra={"remote_addr": request.remote_addr})
    limiter = Limiter(get_remote_address, storage_uri=app.config["RATELIMIT_STORAGE_URI"])
    limiter.init_app(app)
    app.extensions["hub.limiter"] = limiter
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.before_request
    def _refuse_nul() -> Any:
        """A NUL byte in a form or query value is never meaningful, and PostgreSQL cannot store
        or even compare it: refuse it once here rather than as a 500 somewhere inside.

        Machine endpoints (webhooks, Open311) answer in their own formats and clean or
        refuse such values themselves."""
        if request.path.startswith(CSRF_EXEMPT_PREFIXES):
            return None
        values = list(request.args.values())
        if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            values += list(request.form.values())
        if any("\x00" in value for value in values):
            log.warning("request refused: NUL byte in a form or query value", extra={"path": request.path})
            return Response("Your request contained a character we cannot accept (a NUL byte).\n", status=400,
                            mimetype="text/plain")
        return None

    @app.before_request
    def _check_csrf() -> None:
        if (current_app.config["WTF_CSRF_ENABLED"] and request.method in UNSAFE_METHODS
                and not request.path.startswith(CSRF_EXEMPT_PREFIXES)):
            csrf.protect()

    @app.after_request
    def _headers(response: Any) -> Any:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", _content_security_policy(csp_nonce()))
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=(), payment=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if settings.secure_cookies:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.endpoint and request.endpoint != "static" and "Cache-Control" not in headers:
            # Pages can show a citizen's case: never keep them in shared caches.
            headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(CSRFError)
    def _csrf_refused(exc: CSRFError) -> Any:
        log.warning("form refused: %s", exc.description, extra={"path": request.path})
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(RateLimitExceeded)
    def _too_many(exc: RateLimitExceeded) -> Any:
        log.warning("rate limit reached", extra={"path": request.path, "limit": str(exc.limit)})
        return render_template("errors/too_many.html"), 429


def rate_limit(value: str, *, scope: str, key: Callable[[], str] | None = None,
               methods: tuple[str, ...] = ("POST",)) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Limit a view per client address (and optionally per `key`, e.g. a case reference).

    The limiter lives on the app (`app.extensions["hub.limiter"]`), so tests that build many
    apps never share counters.
    """
    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def limited(*args: Any, **kwargs: Any) -> Any:
            if request.method not in methods:
                return view(*args, **kwargs)
            limiter: Limiter = current_app.extensions["hub.limiter"]
            with limiter.limit(value, scope=scope):
                if key is not None:
                    with limiter.limit(value, scope=f"{scope}:key", key_func=key):
                        return view(*args, **kwargs)
                return view(*args, **kwargs)
        return limited
    return decorate
