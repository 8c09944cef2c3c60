"""The case page and its actions: audit, replies through the channel's sender, transfers, SLA pauses."""
import datetime as dt
import re

import pytest

from sqlalchemy import select

from hub.adviser.models import AuditLog
from hub.cases import queries as cases
from hub.cases.models import Case, TrainingExample
from hub.db import get_session


def _post(client, url, **data):
    from fixtures.staff import csrf_token

    return client.post(url, data={"csrf_token": csrf_token(client, "/adviser/"), **data})


def _reload(case_id):
    sess = get_session()
    sess.expire_all()
    return sess.get(Case, case_id)


def test_viewing_a_case_is_audited_and_shows_its_story(adviser_client, make_case):
    case = make_case("WCITY", body="Dog barking all day")
    same_council = make_case("WCITY", body="Bonfire smoke")
    other_council = make_case("WCC", "roads.pothole", body="Pothole")
    client, user = adviser_client("f@example.org", ("WCITY", "WCC"))
    page = client.get(f"/adviser/cases/{case.id}").get_data(as_text=True)
    assert "Dog barking all day" in page and "Test routing." in page and "received" in page
    assert same_council.reference in page and other_council.reference not in page
    assert "working hours left" in page
    rows = get_session().scalars(select(AuditLog).where(AuditLog.case_id == case.id)).all()
    assert [(r.user_id, r.action, r.ip) for r in rows] == [(user.id, "view_case", "127.0.0.1")]


def test_a_reply_reaches_the_citizen_through_the_registered_sender(app, adviser_client, make_case):
    from hub.messaging.service import register_sender

    delivered = []
    register_sender(app, "sms", lambda message, case: delivered.append((message.recipient, message.body, case.id))
                    or "SM-test-1")
    case = make_case("WCITY", channel="sms", phone="+447700900333", email=None)
    client, _ = adviser_client("g@example.org", ("WCITY",))
    response = _post(client, f"/adviser/cases/{case.id}/reply", text="We will visit on Monday.", wait="y")
    assert response.status_code == 302 and response.headers["Location"] == f"/adviser/cases/{case.id}"
    assert delivered == [("+447700900333", "We will visit on Monday.", case.id)]
    after = _reload(case.id)
    assert after.status == "waiting_citizen" and after.first_response_at is not None
    sent = [m for m in cases.messages(case.id) if m.direction == "outbound"]
    assert [(m.delivery_status, m.provider_id) for m in sent] == [("sent", "SM-test-1")]
    assert _post(client, f"/adviser/cases/{case.id}/reply", text="").status_code == 400


def test_a_reply_without_a_sender_is_logged(adviser_client, make_case):
    case = make_case("WCITY")
    client, _ = adviser_client("h@example.org", ("WCITY",))
    assert _post(client, f"/adviser/cases/{case.id}/reply", text="Thanks").status_code == 302
    assert [m.delivery_status for m in cases.messages(case.id) if m.direction == "outbound"] == ["logged"]


def test_transfer_moves_the_case_and_counts_a_misroute(adviser_client, make_case):
    case = make_case("WCITY")
    due = case.sla_due_at
    client, _ = adviser_client("i@example.org", ("WCITY",))
    refused = _post(client, f"/adviser/cases/{case.id}/transfer", authority="WCC", reason="")
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)  # the error summary links to the field, marked invalid
    assert re.search(r'class="error-summary".*<a href="#transfer-reason">', page, re.S)
    assert 'aria-invalid="true"' in re.search(r'<textarea[^>]*id="transfer-reason"[^>]*>', page).group(0)
    assert _post(client, f"/adviser/cases/{case.id}/transfer", authority="WYCH", reason="x").status_code == 400
    response = _post(client, f"/adviser/cases/{case.id}/transfer", authority="WCC", reason="It is a county road")
    assert response.status_code == 302 and response.headers["Location"] == "/adviser/"
    after = _reload(case.id)
    assert (after.authority_code, after.sla_due_at) == ("WCC", due)
    event = [e for e in cases.events(case.id) if e.kind == "transferred"][0]
    assert event.data == {"authority_from": "WCITY", "authority_to": "WCC", "misroute": True}
    assert event.reason == "It is a county road"
    assert client.get(f"/adviser/cases/{case.id}").status_code == 404  # no longer ours
    county, _ = adviser_client("j@example.org", ("WCC",))
    assert county.get(f"/adviser/cases/{case.id}").status_code == 200


def test_recategorise_reroutes_and_feeds_training(adviser_client, make_case):
    case = make_case("WCITY", body="There is a huge hole in the road", postcode="WR14 3AB")
    client, user = adviser_client("k@example.org", ("WCITY",))
    assert _post(client, f"/adviser/cases/{case.id}/recategorise", service="no.such").status_code == 400
    assert _post(client, f"/adviser/cases/{case.id}/recategorise", service="roads.pothole").status_code == 302
    after = _reload(case.id)
    assert (after.service_code, after.authority_code) == ("roads.pothole", "WCC")
    example = get_session().scalars(select(TrainingExample)).one()
    assert (example.text, example.service_code, example.user_id) == \
        ("There is a huge hole in the road", "roads.pothole", user.id)


def test_note_assign_resolve_and_reopen_on_citizen_reply(adviser_client, make_case, make_user):
    from hub.cases.service import receive_contact
    from hub.jobs.dispatch import commit_and_dispatch

    case = make_case("WCITY")
    colleague = make_user("colleague@example.org", "adviser", ("WCITY",))
    outsider = make_user("outsider@example.org", "adviser", ("MHDC",))
    client, _ = adviser_client("l@example.org", ("WCITY",))
    assert _post(client, f"/adviser/cases/{case.id}/note", text="Called, no answer").status_code == 302
    assert _post(client, f"/adviser/cases/{case.id}/assign", user_id=str(outsider.id)).status_code == 400
    assert _post(client, f"/adviser/cases/{case.id}/assign", user_id=str(colleague.id)).status_code == 302
    assert _reload(case.id).assigned_to_id == colleague.id
    assert _post(client, f"/adviser/cases/{case.id}/assign", user_id="").status_code == 302
    assert _reload(case.id).status == "open"
    assert _post(client, f"/adviser/cases/{case.id}/resolve", outcome="answered").status_code == 302
    assert _reload(case.id).status == "resolved"
    receive_contact(channel="email", body="It has started again", email="resident@example.org",
                    case=_reload(case.id))
    commit_and_dispatch()
    assert _reload(case.id).status == "open"
    kinds = [e.kind for e in cases.events(case.id)]
    assert kinds[-1] == "reopened" and "note" in kinds and "resolved" in kinds
    page = client.get(f"/adviser/cases/{case.id}").get_data(as_text=True)
    assert "Called, no answer" in page and "(internal)" in page


def test_waiting_for_the_citizen_pauses_the_sla(app, adviser_client, make_case):
    from hub.cases.service import resume_after_wait
    from hub.db import utcnow

    case = make_case("WCITY")
    client, _ = adviser_client("m@example.org", ("WCITY",))
    assert _post(client, f"/adviser/cases/{case.id}/wait").status_code == 302
    waiting = _reload(case.id)
    assert waiting.status == "waiting_citizen"
    assert "paused" in client.get(f"/adviser/cases/{case.id}").get_data(as_text=True)
    # pretend the wait began a working week ago: the due time moves on by the paused hours
    event = [e for e in cases.events(case.id) if e.kind == "waiting"][0]
    get_session().execute(type(event).__table__.update().where(type(event).__table__.c.id == event.id)
                          .values(at=utcnow() - dt.timedelta(days=7)))
    before = waiting.sla_due_at
    resume_after_wait(waiting, actor="test", reason="test")
    get_session().commit()
    after = _reload(case.id)
    assert after.status == "open"
    resumed = [e for e in cases.events(case.id) if e.kind == "resumed"][0]
    paused = resumed.data["paused_working_hours"]
    assert 30 <= paused <= 48  # a working week, less any bank holiday
    from hub.partnership.calendar import WorkingCalendar
    from hub.partnership.service import current

    assert abs(after.sla_due_at - WorkingCalendar(current()).add_working_hours(before, paused)) < dt.timedelta(minutes=1)


def test_log_an_assisted_contact(adviser_client):
    client, user = adviser_client("n@example.org", ("WCITY", "WCC"))
    assert client.get("/adviser/assisted").status_code == 200
    response = _post(client, "/adviser/assisted", channel="phone", service="roads.pothole", postcode="WR1 1AB",
                     summary="Caller reports a pothole on Foregate Street", name="Pat Caller",
                     phone="07700 900123")
    assert response.status_code == 302
    case = get_session().scalars(select(Case).where(Case.channel == "phone")).one()
    assert (case.service_code, case.authority_code, case.status, case.assigned_to_id) == \
        ("roads.pothole", "WCC", "in_progress", user.id)
    assert case.sla_due_at is not None
    from hub.citizens.queries import get as get_citizen

    assert get_citizen(case.citizen_id).phone == "+447700900123"
    refused = _post(client, "/adviser/assisted", channel="phone", service="environment.noise",
                    postcode="WR14 3AB", summary="Noise in Malvern")
    assert refused.status_code == 400 and "not one of your councils" in refused.get_data(as_text=True)
    bad = _post(client, "/adviser/assisted", channel="carrier_pigeon", service="roads.pothole", summary="x")
    assert bad.status_code == 400


def test_a_refused_staff_form_ties_each_error_to_its_field(adviser_client):
    """GOV.UK's error pattern on staff pages: title, linked summary, inline message, aria."""
    client, _ = adviser_client("p@example.org", ("WCITY",))
    page = _post(client, "/adviser/assisted", channel="phone", service="", summary="").get_data(as_text=True)
    assert "<title>Error: Log a call or visit" in page
    assert 'href="#service"' in page and 'href="#summary"' in page
    assert 'id="service-error"' in page
    assert re.search(r'<select[^>]*aria-describedby="service-error"[^>]*aria-invalid="true"|'
                     r'<select[^>]*aria-invalid="true"[^>]*aria-describedby="service-error"', page)


def test_case_page_renders_in_every_status(adviser_client, make_case):
    client, _ = adviser_client("o@example.org", ("WCITY",))
    for status in ("open", "in_progress", "waiting_citizen", "resolved", "closed"):
        case = make_case("WCITY", status=status, sla_in=-dt.timedelta(hours=3))
        page = client.get(f"/adviser/cases/{case.id}").get_data(as_text=True)
        assert case.reference in page
        assert ("Reopen" in page) == (status in ("resolved", "closed"))
        assert ("breached by" in page) == (status != "waiting_citizen")
    reopened = make_case("WCITY", status="closed")
    assert _post(client, f"/adviser/cases/{reopened.id}/reopen", reason="Citizen phoned back").status_code == 302
    assert _reload(reopened.id).status == "open"
    assert _post(client, f"/adviser/cases/{reopened.id}/reopen").status_code == 400


def test_a_case_triage_leaned_on_is_marked_for_a_risk_check_in_the_queue_and_on_the_case(adviser_client, make_case):
    from hub.db import get_session

    client, _ = adviser_client("lean@example.org", ("WCITY",))
    leaned = make_case("WCITY", body="Cancel my garden bin please, I won't need it")
    plain = make_case("WCITY", body="Bin not emptied")
    leaned.triage = {"confidence": 0.4, "safeguarding_lean": True}
    get_session().commit()
    queue = client.get("/adviser/").get_data(as_text=True)
    row = next(line for line in queue.split("<tr") if leaned.reference in line)
    other = next(line for line in queue.split("<tr") if plain.reference in line)
    assert "Check for risk" in row and "Check for risk" not in other
    page = client.get(f"/adviser/cases/{leaned.id}").get_data(as_text=True)
    assert "Check for risk" in page and "possibly about someone at risk" in page
    assert "Check for risk" not in client.get(f"/adviser/cases/{plain.id}").get_data(as_text=True)


@pytest.mark.parametrize("path", [
    "/adviser/cases/999999999999999999999", "/adviser/cases/2147483648", "/adviser/cases/0",
    "/adviser/cases/99999999999999999999/messages", "/adviser/admin/users/99999999999999999999",
])
def test_an_id_no_row_can_have_is_a_404(adviser_client, path):
    client, _ = adviser_client("ids@example.org", ("WCITY",), role="admin")
    assert client.get(path).status_code == 404


def test_assigning_to_an_impossible_user_id_is_refused(adviser_client, make_case):
    from fixtures.staff import csrf_token

    case = make_case("WCITY")
    client, _ = adviser_client("assign@example.org", ("WCITY",))
    token = csrf_token(client, f"/adviser/cases/{case.id}")
    for raw in ("99999999999999999999", "\u00b2", "-1"):
        response = client.post(f"/adviser/cases/{case.id}/assign", data={"csrf_token": token, "user_id": raw})
        assert response.status_code == 400, raw


def test_every_id_in_a_url_is_bounded(app):
    """A plain <int:...> accepts 10**30 and the database answers with a 500: use <id:...>."""
    from werkzeug.routing import IntegerConverter

    loose = [rule.rule for rule in app.url_map.iter_rules() for conv in rule._converters.values()
             if isinstance(conv, IntegerConverter) and conv.max is None]
    assert loose == []
