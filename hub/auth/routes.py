"""Staff sign-in at /adviser/sign-in and sign-out."""
from __future__ import annotations

from flask import Blueprint, Flask, redirect, render_template, request, url_for
from flask_login import LoginManager

from hub.auth import service
from hub.auth.access import public, staff_required
from hub.auth.forms import SignInForm

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("auth.home")


@bp.route("/adviser/sign-in", methods=["GET", "POST"])
@public
def sign_in():  # type: ignore[no-untyped-def]
    form = SignInForm()
    error = None
    if form.validate_on_submit():
        user = service.authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            service.sign_in(user)
            return redirect(_safe_next(request.args.get("next")))
        error = "The email address or password is not right"
    status = 400 if request.method == "POST" else 200
    return render_template("auth/sign_in.html", form=form, error=error), status


@bp.post("/adviser/sign-out")
@staff_required()
def sign_out():  # type: ignore[no-untyped-def]
    service.sign_out()
    return redirect(url_for("auth.sign_in"))


@bp.get("/adviser/home")
@staff_required()
def home():  # type: ignore[no-untyped-def]
    """Where sign-in lands until the adviser queue exists."""
    return render_template("auth/home.html")


def init_app(app: Flask) -> None:
    manager = LoginManager()
    manager.login_view = "auth.sign_in"
    manager.login_message = "Sign in to continue."
    manager.session_protection = "strong"
    manager.user_loader(service.load_user)
    manager.init_app(app)
    app.register_blueprint(bp)
