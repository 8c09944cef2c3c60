"""The citizen portal: start page, service pages, journeys, confirmation and tracking.

Views are thin: validate the form, call one service function, redirect or render. Answers
wait in the signed session until submitted; a case is shown only to the browser that
created it or that proved it knows the reference and the email or phone given.
"""
from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Flask, Response, abort, redirect, render_template, request, session, url_for

from hub.auth.access import public
from hub.partnership.service import current
from hub.portal import catalogue, service
from hub.portal.forms import FORMS, NotAnsweredForm, ReplyForm, TrackForm
from hub.portal.journeys import JOURNEYS, Journey, first_missing, summary
from hub.security import rate_limit

log = logging.getLogger(__name__)
bp = Blueprint("portal", __name__)
MAX_REMEMBERED = 10


@bp.context_processor
def _navigation() -> dict[str, Any]:
    path = request.path
    return {"navigation": [
        {"href": url_for("portal.start"), "text": "Services", "active": path == "/" or path.startswith("/services/")},
        {"href": url_for("portal.track"), "text": "Track a case", "active": path.startswith("/track")},
    ]}


def _journey(name: str) -> Journey:
    journey = JOURNEYS.get(name)
    if journey is None:
        abort(404)
    return journey


def _answers(journey: Journey) -> dict[str, Any]:
    return dict(session.get("answers", {}).get(journey.name, {}))


def _save(journey: Journey, answers: dict[str, Any]) -> None:
    stored = dict(session.get("answers", {}))
    stored[journey.name] = answers
    session["answers"] = stored


def _remember(key: str, reference: str) -> None:
    refs = [r for r in session.get(key, []) if r != reference]
    session[key] = (refs + [reference])[-MAX_REMEMBERED:]


def _may_see(reference: str) -> bool:
    return reference in session.get("cases", []) or reference in session.get("tracked", [])


def _spam() -> Response:
    log.warning("journey refused: honeypot field filled", extra={"path": request.path})
    return redirect(url_for("portal.start"))  # type: ignore[return-value]


@bp.get("/")
@public
def start() -> str:
    doc = current()
    query = request.args.get("q", "").strip()[:200]
    results = catalogue.search(doc, query) if query else []
    return render_template("portal/start.html", services=doc.services, query=query, results=results,
                           searched=bool(query))


@bp.get("/services/<code>")
@public
def service_page(code: str) -> str:
    page = catalogue.page(current(), code)
    if page is None:
        abort(404)
    return render_template("portal/service.html", page=page)


@bp.get("/report/<journey>")
@public
def journey_start(journey: str) -> Response:
    chosen = _journey(journey)
    answers: dict[str, Any] = {}
    wanted = request.args.get("service")
    if chosen.service is None and wanted and current().service(wanted):
        answers["service"] = wanted
    _save(chosen, answers)
    return redirect(url_for("portal.journey_step", journey=journey, step=chosen.steps[0]))  # type: ignore[return-value]


@bp.route("/report/<journey>/<step>", methods=["GET", "POST"])
@public
@rate_limit("60 per 10 minutes", scope="portal-journey")
def journey_step(journey: str, step: str) -> Any:
    chosen = _journey(journey)
    if step not in chosen.steps:
        abort(404)
    answers = _answers(chosen)
    missing = first_missing(chosen, answers)
    if missing and chosen.steps.index(missing) < chosen.steps.index(step):
        return redirect(url_for("portal.journey_step", journey=journey, step=missing))
    form = FORMS[step](data=answers if request.method == "GET" else None)
    if form.validate_on_submit():
        if form.is_spam:
            return _spam()
        answers.update(form.answers())
        if step == "contact":
            answers["contact_done"] = True
        following = chosen.next_step(step)
        if following is None:  # "Check your answers" (or a one-question look-up) sends it
            reference = service.submit(chosen, answers)
            _save(chosen, {})
            _remember("cases", reference)
            return redirect(url_for("portal.confirmation", reference=reference))
        _save(chosen, answers)
        if request.args.get("from") == "check" and first_missing(chosen, answers) is None:
            following = "check"  # a changed answer goes straight back to the summary
        return redirect(url_for("portal.journey_step", journey=journey, step=following))
    back = chosen.previous_step(step)
    back_url = url_for("portal.journey_step", journey=journey, step=back) if back else url_for("portal.start")
    status = 400 if request.method == "POST" else 200
    return render_template(f"portal/steps/{step}.html", form=form, journey=chosen, step=step, back_url=back_url,
                           rows=summary(chosen, answers) if step == "check" else []), status


@bp.get("/confirmation/<reference>")
@public
def confirmation(reference: str) -> str:
    if not _may_see(reference):
        abort(404)
    found = service.outcome(reference)
    if found is None:
        abort(404)
    return render_template("portal/confirmation.html", outcome=found, form=NotAnsweredForm())


@bp.post("/confirmation/<reference>/not-answered")
@public
@rate_limit("10 per 10 minutes", scope="portal-escalate")
def not_answered(reference: str) -> Response:
    if not _may_see(reference) or not NotAnsweredForm().validate_on_submit():
        abort(404)
    service.not_answered(reference)
    return redirect(url_for("portal.escalated", reference=reference))  # type: ignore[return-value]


@bp.get("/confirmation/<reference>/escalated")
@public
def escalated(reference: str) -> str:
    if not _may_see(reference):
        abort(404)
    found = service.outcome(reference)
    if found is None:
        abort(404)
    return render_template("portal/escalated.html", outcome=found)


@bp.get("/bin-day/<postcode>.ics")
@public
def bin_calendar(postcode: str) -> Response:
    feed = service.calendar(postcode)
    if feed is None:
        abort(404)
    return Response(feed, mimetype="text/calendar",
                    headers={"Content-Disposition": 'attachment; filename="bin-collections.ics"',
                             "Cache-Control": "public, max-age=3600"})


def _reference_key() -> str:
    return (request.form.get("reference") or "").strip().upper().replace(" ", "").replace("-", "")[:12]


@bp.route("/track", methods=["GET", "POST"])
@public
@rate_limit("10 per 15 minutes", scope="portal-track", key=_reference_key)
def track() -> Any:
    form = TrackForm()
    refused = False
    if form.validate_on_submit():
        reference = service.find_for_tracking(form.reference.data, form.contact.data)
        if reference is not None:
            _remember("tracked", reference)
            return redirect(url_for("portal.tracked", reference=reference))
        refused = True
    status = 400 if request.method == "POST" else 200
    return render_template("portal/track.html", form=form, refused=refused), status


@bp.route("/track/<reference>", methods=["GET", "POST"])
@public
@rate_limit("20 per 10 minutes", scope="portal-reply")
def tracked(reference: str) -> Any:
    if not _may_see(reference):
        return redirect(url_for("portal.track"))
    form = ReplyForm()
    if form.validate_on_submit():
        if form.is_spam:
            return _spam()
        service.add_reply(reference, form.message.data)
        return redirect(url_for("portal.tracked", reference=reference, sent=1))
    found = service.tracked(reference)
    if found is None:
        abort(404)
    status = 400 if request.method == "POST" else 200
    return render_template("portal/tracked.html", case=found, form=form, sent=bool(request.args.get("sent"))), status


@bp.get("/accessibility")
@public
def accessibility() -> str:
    return render_template("portal/accessibility.html")


@bp.get("/privacy")
@public
def privacy() -> str:
    return render_template("portal/privacy.html")


@bp.app_errorhandler(404)
def not_found(exc: Any) -> Any:
    if request.path.startswith(("/open311/", "/channels/", "/healthz")):
        return exc  # machine clients get the plain answer
    return render_template("errors/not_found.html"), 404


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
