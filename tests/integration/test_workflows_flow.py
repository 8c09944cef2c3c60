"""Workflows end to end with in-process jobs, on SQLite and PostgreSQL: missed bins and
their repeats, duplicate street reports, conversations that resume triage, the needs-info
timeout, and jobs run twice."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from hub.cases import queries
from hub.cases.models import Case
from hub.db import get_session, utcnow
from hub.jobs.dispatch import commit_and_dispatch
from hub.jobs.models import OutboxJob

from fixtures.contacts import kinds, outbound, receive_at, reload

UTC = dt.timezone.utc




# WR14 3 is collected on Fridays (cycle A): general waste on Fri 4 Dec, Fri 18 Dec and, after
# the Christmas bank holidays, Sat 2 Jan 2027. Crews finish at 17:00 (GMT in winter).
MISSES = [dt.datetime(2026, 12, 5, 10, tzinfo=UTC), dt.datetime(2026, 12, 19, 10, tzinfo=UTC),
          dt.datetime(2027, 1, 2, 18, tzinfo=UTC)]


def test_missed_bin_logged_once_and_third_miss_at_the_address_escalates(app):
    from workflows.missed_bin import log_report

    ids = []
    for n, at in enumerate(MISSES):
        text = ["my black bin wasn't emptied, 12 Elm Road WR14 3AB", "Grey bin missed again at 12 elm rd WR14 3AB",
                "third time!! rubbish not collected 12 Elm Road, WR14 3AB"][n]
        ids.append(receive_at(at=at, channel="web", body=text, email="m@example.org",
                            chosen_service="waste.missed_bin").case.id)
    first, second, third = (reload(i) for i in ids)
    for case in (first, second):
        assert (case.status, case.disposition, case.self_served) == ("resolved", "self_served", True)
        assert case.details["missed_bin"]["address_key"] == "12 elm road|WR14 3AB"
        assert kinds(case.id).count("missed_bin_logged") == 1
        [reply] = outbound(case.id)
        assert f"(ref {case.reference})" in reply and "12 Elm Road" in reply
    assert (third.status, third.disposition, third.authority_code) == ("open", "escalated", "MHDC")
    assert third.sla_due_at is not None and "missed_bin" in third.details
    assert "missed collection number 3" in outbound(third.id)[0]
    # The job again: one outcome.
    before = (kinds(first.id), outbound(first.id))
    log_report(case_id=first.id)
    commit_and_dispatch()
    assert (kinds(first.id), outbound(first.id)) == before


def test_missed_bin_outside_the_window_is_explained_not_logged(app):
    got = receive_at(at=dt.datetime(2026, 12, 4, 16, 59, tzinfo=UTC), channel="web", chosen_service="waste.missed_bin",
                   body="black bin not emptied at 12 Elm Road WR14 3AB", email="c@example.org")
    case = reload(got.case.id)
    assert (case.status, case.disposition) == ("resolved", "self_served")
    assert "missed_bin" not in case.details and "missed_bin_logged" not in kinds(case.id)
    assert "Crews are still collecting until 5pm" in outbound(case.id)[0]


def test_pothole_at_the_same_place_is_linked_to_the_open_report(app):
    first = receive_at(at=dt.datetime(2026, 12, 3, 9, tzinfo=UTC), channel="web",
                     body="big pothole outside 4 Church Street WR14 3AB", email="a@example.org").case
    second = receive_at(at=dt.datetime(2026, 12, 5, 9, tzinfo=UTC), channel="sms",
                      body="theres a massive pothole on church st WR14 3XY", phone="+447700900202").case
    elsewhere = receive_at(at=dt.datetime(2026, 12, 5, 9, tzinfo=UTC), channel="web",
                         body="pothole on Elm Road WR14 3XY", email="d@example.org").case
    first, second, elsewhere = reload(first.id), reload(second.id), reload(elsewhere.id)
    assert first.duplicate_of_id is None and first.location_text == "4 Church Street"
    assert second.duplicate_of_id == first.id and elsewhere.duplicate_of_id is None
    assert "duplicate_linked" in kinds(first.id) and "linked_duplicate" in kinds(second.id)
    [reply] = outbound(second.id)
    assert f"already reported on Thu 3 Dec (ref {first.reference})" in reply
    assert f"(ref {second.reference})" in reply
    # The job again: one link, one event each.
    from workflows.street_report import log_report

    log_report(case_id=second.id)
    commit_and_dispatch()
    assert kinds(first.id).count("duplicate_linked") == 1 and len(outbound(second.id)) == 1


def test_street_light_without_location_is_completed_by_the_next_text(app):
    phone = "+447700900203"
    asked = receive_at(channel="sms", body="street light out on my road", phone=phone, provider_id="SM1").case
    case = reload(asked.id)
    assert (case.status, case.disposition) == ("needs_info", "needs_info")
    assert case.details["asked"] == ["location"]
    assert "where it is" in outbound(case.id)[0].lower()
    answer = receive_at(channel="sms", body="its outside 7 Oak Lane, WR14 3AB", phone=phone, provider_id="SM2")
    assert answer.case.id == asked.id
    case = reload(asked.id)
    assert (case.status, case.disposition, case.service_code, case.authority_code) == \
        ("resolved", "self_served", "roads.street_light", "WCC")
    assert case.postcode == "WR14 3AB" and case.location_text == "7 Oak Lane"
    assert "answer_received" in kinds(case.id)
    assert f"(ref {case.reference})" in outbound(case.id)[-1]
    assert get_session().scalar(select(Case.id).where(Case.id != case.id)) is None  # no second case
    # Triage again for the same answer: nothing more.
    from hub.triage.service import triage_case

    before = kinds(case.id)
    triage_case(case_id=case.id, message_id=answer.message.id)
    commit_and_dispatch()
    assert kinds(case.id) == before


def test_another_sender_does_not_answer_someone_elses_question(app):
    asked = receive_at(channel="sms", body="street light out on my road", phone="+447700900204").case
    other = receive_at(channel="sms", body="WR14 3AB", phone="+447700900205").case
    assert other.id != asked.id and reload(asked.id).status == "needs_info"


def test_needs_info_past_the_timeout_is_escalated_by_the_sweep(app, run_cli):
    stale = receive_at(channel="sms", body="street light out on my road", phone="+447700900206").case
    fresh = receive_at(channel="sms", body="lamp post flickering all night", phone="+447700900207").case
    case = reload(stale.id)
    old = utcnow() - dt.timedelta(hours=49)
    case.details = {**case.details, "asked_at": old.isoformat()}
    case.updated_at = old
    get_session().commit()
    result = run_cli("sweep")
    assert "escalating 1 unanswered cases" in result.output
    case, other = reload(stale.id), reload(fresh.id)
    assert (case.status, case.disposition, case.authority_code) == ("open", "escalated", "HUB")
    assert other.status == "needs_info"
    assert "did not supply the information" in queries.events(case.id)[-1].reason
    run_cli("sweep")  # again: nothing more
    assert kinds(case.id).count("escalated") == 1


def test_asking_for_a_person_after_an_faq_answer_escalates(app):
    phone = "+447700900208"
    answered = receive_at(channel="sms", body="how do I pay my council tax WR1 1AA", phone=phone).case
    case = reload(answered.id)
    assert (case.status, case.disposition) == ("resolved", "self_served")
    assert "Reply PERSON" in outbound(case.id)[0]
    again = receive_at(channel="sms", body="PERSON", phone=phone)
    assert again.case.id == case.id
    case = reload(case.id)
    assert (case.status, case.disposition, case.self_served, case.authority_code) == \
        ("open", "escalated", False, "WCITY")
    assert "An adviser" in outbound(case.id)[-1]


def test_every_job_finished_once(app):
    receive_at(channel="sms", body="my blue bin wasn't emptied, 12 Elm Road WR14 3AB", phone="+447700900209")
    statuses = get_session().scalars(select(OutboxJob.status)).all()
    assert statuses and set(statuses) == {"done"}


def test_missed_bin_details_accumulate_over_an_email_conversation(app):
    first = receive_at(at=dt.datetime(2026, 12, 5, 9, tzinfo=UTC), channel="email", email="e@example.org",
                     sender="e@example.org", body="My bin wasn't emptied yesterday. WR14 3AB",
                     chosen_service="waste.missed_bin").case
    case = reload(first.id)
    assert case.status == "needs_info" and case.details["asked"] == ["address", "bin_type"]
    receive_at(at=dt.datetime(2026, 12, 5, 10, tzinfo=UTC), channel="email", email="e@example.org",
             sender="e@example.org", body="It's 12 Elm Road")
    case = reload(first.id)
    assert case.status == "needs_info" and case.details["asked"] == ["bin_type"]
    assert case.details["address"] == "12 Elm Road"
    assert "which bin" in outbound(case.id)[-1] and "house number" not in outbound(case.id)[-1]
    receive_at(at=dt.datetime(2026, 12, 5, 11, tzinfo=UTC), channel="email", email="e@example.org",
             sender="e@example.org", body="the black one")
    case = reload(first.id)
    assert (case.status, case.disposition) == ("resolved", "self_served")
    assert case.details["missed_bin"]["bin_type"] == "general"
    assert f"(ref {case.reference})" in outbound(case.id)[-1]


def test_web_answer_on_the_same_case_resumes_triage(app):
    asked = receive_at(channel="web", body="street light out on my road", email="w@example.org").case
    assert reload(asked.id).status == "needs_info"
    receive_at(channel="web", body="by the bus stop", postcode="WR1 1AA", email="w@example.org",
             case=reload(asked.id))
    case = reload(asked.id)
    assert (case.status, case.authority_code, case.postcode) == ("resolved", "WCC", "WR1 1AA")
    assert case.location_text == "by the bus stop"


def test_hub_triage_stays_a_dry_run_with_workflows(app, run_cli):
    from sqlalchemy import func

    receive_at(at=dt.datetime(2026, 12, 3, 9, tzinfo=UTC), channel="web", chosen_service="roads.pothole",
             body="big pothole outside 4 Church Street WR14 3AB", email="a@example.org")
    before = get_session().scalar(select(func.count()).select_from(OutboxJob))
    for text in ("pothole on church st WR14 3AB", "my black bin wasn't emptied, 12 Elm Road WR14 3AB",
                 "when is my bin collected WR14 3AB"):
        result = run_cli("triage", text, "--at", "2026-12-05T10:00:00")
        assert result.exit_code == 0 and '"disposition"' in result.output
    get_session().expire_all()
    assert get_session().scalar(select(func.count()).select_from(Case)) == 1
    assert get_session().scalar(select(func.count()).select_from(OutboxJob)) == before


def test_sla_of_a_case_escalated_after_an_answer_runs_from_the_answer(app):
    """Asked Monday, answered Thursday: the SLA starts Thursday, not at first contact."""
    from hub.partnership.calendar import WorkingCalendar
    from hub.partnership.service import current

    asked_at = dt.datetime(2026, 11, 16, 10, 0, tzinfo=UTC)  # Monday
    answered_at = dt.datetime(2026, 11, 19, 10, 0, tzinfo=UTC)  # Thursday
    phone = "+447700900231"
    asked = receive_at(at=asked_at, channel="sms", body="my neighbours dog is barking all day and night",
                     phone=phone).case
    assert reload(asked.id).status == "needs_info"
    receive_at(at=answered_at, channel="sms", body="WR14 3AB", phone=phone)
    case = reload(asked.id)
    assert (case.status, case.service_code) == ("open", "environment.noise")
    calendar, hours = WorkingCalendar(current()), current().service("environment.noise").sla.hours
    assert case.sla_due_at == calendar.add_working_hours(answered_at, hours)
    assert case.sla_due_at > answered_at  # not breached on arrival
