"""The adviser workspace: the queue, the case page and its actions (POST, CSRF, then redirect).

Every view is staff-only and hands the signed-in adviser's council scope to the service,
which finds cases only inside it; a case of another council is a 404 on every URL.
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Callable

from flask import Blueprint, Flask, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from hub.adviser import forms, service
from hub.adviser.downloads import file_response
from hub.adviser.service import ActionRefused, QueueFilter
from hub.auth.access import current_scope, staff_required
from hub.web import parse_id

log = logging.getLogger(__name__)
bp = Blueprint("adviser", __name__, url_prefix="/adviser", static_folder="static",
               static_url_path="/static")

FILTERS = ("authority", "service", "channel", "status", "assigned", "sla")
ALLOWED = {"assigned": ("me", "unassigned"), "sla": ("breached", "due_soon"), "status": ("open", "in_progress")}


def _actor() -> service.Actor:
    return service.Actor(user_id=current_user.id, scope=current_scope(), ip=request.remote_addr)


def _filter() -> QueueFilter:
    values: dict[str, str | None] = {}
    for name in FILTERS:
        value = (request.args.get(name) or "").strip()[:64] or None
        if value and name in ALLOWED and value not in ALLOWED[name]:
            value = None
        values[name] = value
    return QueueFilter(**values)


def _cursor() -> Any:
    """`after=priority~due~id` from the last page; anything malformed is a 400.

    The due time must carry its UTC offset (the column is timezone-aware) and the numbers must
    be a small priority and a row id, or the database would refuse them with a 500.
    """
    raw = request.args.get("after")
    if not raw:
        return None
    try:
        priority_text, due_text, id_text = raw.split("~")
        case_id = parse_id(id_text)
        if not (priority_text.isascii() and priority_text.isdigit() and len(priority_text) <= 2) or case_id is None:
            raise ValueError("not a priority and a row id")
        due = None
        if due_text != "-":
            due = dt.datetime.fromisoformat(due_text)
            if due.tzinfo is None:
                raise ValueError("a due time without its UTC offset")
            due = due.astimezone(dt.timezone.utc)
    except (ValueError, OverflowError) as exc:
        log.info("queue cursor refused", extra={"reason": str(exc)[:80]})
        abort(400, "bad page cursor")
    return int(priority_text), due, case_id


def cursor_param(cursor: Any) -> str | None:
    if cursor is None:
        return None
    priority, due, case_id = cursor
    return f"{priority}~{due.isoformat() if due else '-'}~{case_id}"


@bp.get("/")
@staff_required()
def queue():  # type: ignore[no-untyped-def]
    f = _filter()
    page = service.queue(_actor(), f, _cursor())
    return render_template("adviser/queue.html", page=page, f=f, args=_filter_args(f),
                           next_after=cursor_param(page["next"]), choices=service.choices(),
                           take_form=forms.EmptyForm())


@bp.get("/queue/rows")
@staff_required()
def queue_rows():  # type: ignore[no-untyped-def]
    """The queue's table body and counts, for the page's script to refresh without a reload."""
    f = _filter()
    page = service.queue(_actor(), f, _cursor())
    html = render_template("adviser/_queue_rows.html", page=page)
    return jsonify(rows=html, counts=page["counts"], next=cursor_param(page["next"]))


def _filter_args(f: QueueFilter) -> dict[str, str]:
    return {k: v for k, v in vars(f).items() if v}


@bp.post("/take")
@staff_required()
def take_next():  # type: ignore[no-untyped-def]
    forms.EmptyForm()
    case = service.take_next(_actor(), _filter_from_form())
    if case is None:
        flash("There is no unassigned case to take.")
        return redirect(url_for("adviser.queue"))
    return redirect(url_for("adviser.case", case_id=case.id))


def _filter_from_form() -> QueueFilter:
    values = {name: (request.form.get(name) or "").strip()[:64] or None for name in FILTERS}
    for name, allowed in ALLOWED.items():
        if values[name] not in allowed:
            values[name] = None
    return QueueFilter(**values)


@bp.get("/search")
@staff_required()
def search():  # type: ignore[no-untyped-def]
    text = (request.args.get("q") or "").strip()[:100]
    return render_template("adviser/search.html", q=text, results=service.search(_actor(), text))


def _render_case(case_id: int, error: str | None = None, status: int = 200, **form_overrides: Any) -> Any:
    page = service.view_case(_actor(), case_id)
    choices = service.choices()
    made = {
        "reply": forms.ReplyForm(formdata=None), "note": forms.NoteForm(formdata=None),
        "recategorise": forms.RecategoriseForm(formdata=None), "transfer": forms.TransferForm(formdata=None),
        "resolve": forms.ResolveForm(formdata=None), "reason": forms.ReasonForm(formdata=None),
        "assign": forms.AssignForm(formdata=None), "button": forms.EmptyForm(formdata=None),
    }
    made.update(form_overrides)
    made["recategorise"].service.choices = forms.options(choices["service"])
    made["transfer"].authority.choices = forms.options(
        [c for c in choices["authority"] if c[0] != page.case.authority_code])
    made["resolve"].outcome.choices = forms.options(choices["outcome"])
    made["assign"].user_id.choices = forms.options(
        [("", "Nobody")] + [(str(u.id), u.name or u.email) for u in page.staff])
    return render_template("adviser/case.html", page=page, forms=made, error=error), status


@bp.get("/cases/<id:case_id>")
@staff_required()
def case(case_id: int):  # type: ignore[no-untyped-def]
    return _render_case(case_id)


@bp.get("/cases/<id:case_id>/messages")
@staff_required()
def case_messages(case_id: int):  # type: ignore[no-untyped-def]
    thread, files = service.case_messages(_actor(), case_id)
    return render_template("adviser/_thread.html", thread=thread, users={}, attachments=files, case_id=case_id)


@bp.get("/cases/<id:case_id>/attachments/<source>/<id:attachment_id>")
@staff_required()
def attachment(case_id: int, source: str, attachment_id: int):  # type: ignore[no-untyped-def]
    """A file the citizen sent, always as a download (see hub/adviser/downloads.py)."""
    found = service.download_attachment(_actor(), case_id, source, attachment_id)
    return file_response(found.info.filename, found.info.content_type, found.data)


def _action(name: str, form_class: type, act: Callable[[Any], Any], case_id: int, done: str) -> Any:
    """Validate, act once, redirect (PRG); a refused action re-renders the case with a 400."""
    form = form_class()
    if not form.validate_on_submit():
        message = next(iter(e for errs in form.errors.values() for e in errs), "Check the form")
        return _render_case(case_id, error=str(message), status=400, **{name: form})
    try:
        result = act(form)
    except ActionRefused as exc:
        return _render_case(case_id, error=str(exc), status=400, **{name: form})
    # A reply says itself whether it was sent (service.Replied); other actions return the case.
    case = getattr(result, "case", result)
    flash(getattr(result, "notice", done))
    if not current_scope().allows(case.authority_code):  # transferred out of my councils
        return redirect(url_for("adviser.queue"))
    return redirect(url_for("adviser.case", case_id=case_id))


@bp.post("/cases/<id:case_id>/reply")
@staff_required()
def reply(case_id: int):  # type: ignore[no-untyped-def]
    return _action("reply", forms.ReplyForm, lambda f: service.reply(
        _actor(), case_id, f.text.data, channel=f.channel.data or None, wait=f.wait.data), case_id, "Reply sent.")


@bp.post("/cases/<id:case_id>/note")
@staff_required()
def note(case_id: int):  # type: ignore[no-untyped-def]
    return _action("note", forms.NoteForm, lambda f: service.add_note(_actor(), case_id, f.text.data),
                   case_id, "Note added.")


@bp.post("/cases/<id:case_id>/recategorise")
@staff_required()
def recategorise(case_id: int):  # type: ignore[no-untyped-def]
    return _action("recategorise", forms.RecategoriseForm,
                   lambda f: service.recategorise(_actor(), case_id, f.service.data), case_id, "Service changed.")


@bp.post("/cases/<id:case_id>/transfer")
@staff_required()
def transfer(case_id: int):  # type: ignore[no-untyped-def]
    return _action("transfer", forms.TransferForm,
                   lambda f: service.transfer(_actor(), case_id, f.authority.data, f.reason.data),
                   case_id, "Case transferred.")


@bp.post("/cases/<id:case_id>/resolve")
@staff_required()
def resolve(case_id: int):  # type: ignore[no-untyped-def]
    return _action("resolve", forms.ResolveForm, lambda f: service.resolve(
        _actor(), case_id, f.outcome.data, close=f.close.data, note=f.note.data or ""), case_id, "Case resolved.")


@bp.post("/cases/<id:case_id>/reopen")
@staff_required()
def reopen(case_id: int):  # type: ignore[no-untyped-def]
    return _action("reason", forms.ReasonForm, lambda f: service.reopen(_actor(), case_id, f.reason.data or ""),
                   case_id, "Case reopened.")


@bp.post("/cases/<id:case_id>/assign")
@staff_required()
def assign(case_id: int):  # type: ignore[no-untyped-def]
    def act(f: Any) -> Any:
        raw = f.user_id.data or ""
        user_id = parse_id(raw)
        if raw and user_id is None:
            raise ActionRefused("Choose a person")
        return service.assign(_actor(), case_id, user_id)

    return _action("assign", forms.AssignForm, act, case_id, "Assignment changed.")


@bp.post("/cases/<id:case_id>/take")
@staff_required()
def take(case_id: int):  # type: ignore[no-untyped-def]
    return _action("button", forms.EmptyForm, lambda f: service.assign(_actor(), case_id, current_user.id),
                   case_id, "The case is yours.")


@bp.post("/cases/<id:case_id>/wait")
@staff_required()
def wait(case_id: int):  # type: ignore[no-untyped-def]
    return _action("button", forms.EmptyForm, lambda f: service.wait_for_citizen(_actor(), case_id),
                   case_id, "Waiting for the citizen; the SLA clock is paused.")


@bp.post("/cases/<id:case_id>/resume")
@staff_required()
def resume(case_id: int):  # type: ignore[no-untyped-def]
    return _action("button", forms.EmptyForm, lambda f: service.resume(_actor(), case_id),
                   case_id, "Back in the queue.")


@bp.route("/assisted", methods=["GET", "POST"])
@staff_required()
def assisted():  # type: ignore[no-untyped-def]
    """Log a phone call or a visit, so channel-shift reports see assisted contacts too."""
    form = forms.AssistedContactForm()
    form.service.choices = forms.options(service.choices()["service"])
    error = None
    if form.validate_on_submit():
        try:
            case = service.log_assisted_contact(
                _actor(), channel=form.channel.data, service_code=form.service.data,
                postcode=(form.postcode.data or "").strip() or None, summary=form.summary.data,
                resolved=form.resolved.data, name=form.name.data, email=form.email.data, phone=form.phone.data)
        except ActionRefused as exc:
            error = str(exc)
        else:
            flash(f"Contact logged as {case.reference}.")
            return redirect(url_for("adviser.case", case_id=case.id))
    status = 400 if request.method == "POST" else 200
    return render_template("adviser/assisted.html", form=form, error=error), status


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
