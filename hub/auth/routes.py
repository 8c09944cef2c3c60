"""Staff sign-in at /adviser/sign-in (password, then a one-time code where required) and sign-out."""
from __future__ import annotations

import datetime as dt
import logging
from urllib.parse import urlsplit

from flask import Blueprint, Flask, flash, redirect, render_template, request, session, url_for
from flask_login import LoginManager, current_user

from hub.auth import service
from hub.auth.access import public, staff_required
from hub.auth.forms import CodeForm, SignInForm

bp = Blueprint("auth", __name__)
log = logging.getLogger(__name__)


# Where a sign-in may send the browser afterwards: staff pages of this site only.
NEXT_PREFIXES = ("/adviser/", "/reports/")


def safe_next(target: str | None) -> str | None:
    """The `next` path if it is a staff page on this site, else None.

    Browsers drop tabs and newlines inside URLs and read `\\` as `/`, so `/%09/evil.example`
    or `/\\evil.example` would leave the council's own sign-in page for a phishing site.
    """
    if not target:
        return None
    if len(target) > 2000 or any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in target) or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    if not parts.path.startswith(NEXT_PREFIXES) or "/../" in parts.path or parts.path.endswith("/.."):
        return None
    return target


def _next_after_sign_in(target: str | None) -> str:
    safe = safe_next(target)
    if target and safe is None:
        log.warning("sign-in next refused", extra={"reason": "not a staff page on this site",
                                                   "next": target[:200].encode("unicode_escape").decode()})
    return safe or url_for("adviser.queue")


def _first_error(form: object) -> str | None:
    errors = getattr(form, "errors", {})
    return next((str(e) for errs in errors.values() for e in errs), None)


@bp.route("/adviser/sign-in", methods=["GET", "POST"])
@public
def sign_in():  # type: ignore[no-untyped-def]
    form = SignInForm()
    error, status = None, 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            try:
                outcome = service.check_password(form.email.data or "", form.password.data or "",
                                                 request.remote_addr or "")
            except service.SignInRefused as refused:
                error, status = refused.message, refused.status
            else:
                session["hub.next"] = _next_after_sign_in(request.args.get("next"))
                if outcome.next_step == "done":
                    return redirect(session.pop("hub.next"))
                return redirect(url_for("auth.code"))
        error = error or _first_error(form)
    return render_template("auth/sign_in.html", form=form, error=error), status


@bp.route("/adviser/sign-in/code", methods=["GET", "POST"])
@public
def code():  # type: ignore[no-untyped-def]
    """The second step: a code from the adviser's authenticator app (set up on first use)."""
    user = service.pending_user()
    if user is None:
        flash("Sign in again.")
        return redirect(url_for("auth.sign_in"))
    form = CodeForm()
    error, status = None, 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            try:
                service.check_code(form.code.data or "", request.remote_addr or "")
            except service.SignInRefused as refused:
                error, status = refused.message, refused.status
            else:
                return redirect(session.pop("hub.next", None) or url_for("adviser.queue"))
        error = error or _first_error(form)
    secret = uri = None
    if user.totp_secret is None:
        secret = service.enrolment_secret()
        uri = service.provisioning_uri(user, secret)
    return render_template("auth/code.html", form=form, error=error, secret=secret, uri=uri), status


@bp.post("/adviser/sign-out")
@staff_required()
def sign_out():  # type: ignore[no-untyped-def]
    service.sign_out()
    return redirect(url_for("auth.sign_in"))


@bp.get("/adviser/home")
@staff_required()
def home():  # type: ignore[no-untyped-def]
    """The old landing page: the queue is the workspace's home now."""
    return redirect(url_for("adviser.queue"))


def init_app(app: Flask) -> None:
    # A staff session lasts one working day at most, however active, and ends when idle.
    app.config.setdefault("HUB_SESSION_LIFETIME", dt.timedelta(hours=9))
    app.config.setdefault("HUB_IDLE_TIMEOUT", dt.timedelta(minutes=30))
    manager = LoginManager()
    manager.login_view = "auth.sign_in"
    manager.login_message = "Sign in to continue."
    manager.session_protection = "strong"
    manager.user_loader(service.load_user)
    manager.init_app(app)
    app.register_blueprint(bp)

    @app.before_request
    def _idle_timeout() -> None:
        if current_user.is_authenticated and service.expire_session(app.config["HUB_IDLE_TIMEOUT"],
                                                                    app.config["HUB_SESSION_LIFETIME"]):
            flash("You were signed out. Sign in again to continue.")

    from hub.users.routes import init_app as init_users

    init_users(app)
