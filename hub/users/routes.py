"""Admins manage staff accounts: add, deactivate, set role and councils, reset the second factor."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from hub.auth.access import staff_required
from hub.users import forms, service

bp = Blueprint("users", __name__, url_prefix="/adviser/admin")


def _by() -> service.ChangedBy:
    """The signed-in admin and their address, for the audit row every change leaves."""
    return service.ChangedBy(user_id=current_user.id, ip=request.remote_addr)


def _council_choices() -> list:  # type: ignore[type-arg]
    return forms.options([(a.code, a.name) for a in service.overview()["authorities"]])  # type: ignore[union-attr]


@bp.get("/users")
@staff_required("admin")
def index():  # type: ignore[no-untyped-def]
    data = service.overview()
    form = forms.PolicyForm(require_totp=[c for c, on in data["policies"].items() if on])  # type: ignore[union-attr]
    form.require_totp.choices = _council_choices()
    return render_template("auth/users.html", data=data, policy_form=form)


@bp.route("/users/new", methods=["GET", "POST"])
@staff_required("admin")
def new():  # type: ignore[no-untyped-def]
    form = forms.NewUserForm()
    form.authorities.choices = _council_choices()
    error = None
    if form.validate_on_submit():
        try:
            user = service.create_user(form.email.data or "", form.password.data or "", form.role.data,
                                       list(form.authorities.data or []), name=form.name.data or "",
                                       active=bool(form.active.data), by=_by())
        except service.EmailTaken as exc:
            form.email.errors.append(str(exc))
        except service.UserError as exc:
            error = str(exc)
        else:
            flash(f"{user.email} added.")
            return redirect(url_for("users.index"))
    return render_template("auth/user_form.html", form=form, error=error, user=None), \
        (400 if form.is_submitted() else 200)


@bp.route("/users/<id:user_id>", methods=["GET", "POST"])
@staff_required("admin")
def edit(user_id: int):  # type: ignore[no-untyped-def]
    user = service.get_user(user_id)
    if user is None:
        abort(404)
    form = forms.UserForm(obj=None, data=None if forms.UserForm().is_submitted() else {
        "name": user.name, "role": user.role, "active": user.active, "authorities": sorted(user.authority_codes)})
    form.authorities.choices = _council_choices()
    error = None
    if form.validate_on_submit():
        try:
            service.update_user(user_id, role=form.role.data, authorities=list(form.authorities.data or []),
                                active=bool(form.active.data), name=form.name.data or "", by=_by())
        except service.UserError as exc:
            error = str(exc)
        else:
            flash(f"{user.email} updated.")
            return redirect(url_for("users.index"))
    return render_template("auth/user_form.html", form=form, error=error, user=user,
                           reset_form=forms.ButtonForm(), history=service.account_history(user_id)), \
        (400 if form.is_submitted() else 200)


@bp.post("/users/<id:user_id>/reset-totp")
@staff_required("admin")
def reset_totp(user_id: int):  # type: ignore[no-untyped-def]
    forms.ButtonForm()
    try:
        user = service.reset_totp(user_id, by=_by())
    except service.UserError:
        abort(404)
    flash(f"{user.email} will set up a new authenticator at their next sign-in.")
    return redirect(url_for("users.edit", user_id=user_id))


@bp.post("/councils")
@staff_required("admin")
def policies():  # type: ignore[no-untyped-def]
    form: Any = forms.PolicyForm()
    form.require_totp.choices = _council_choices()
    if not form.validate_on_submit():
        abort(400)
    service.set_policies(set(form.require_totp.data or []), by=_by())
    flash("Sign-in policy saved.")
    return redirect(url_for("users.index"))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
