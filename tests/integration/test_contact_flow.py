"""A contact is stored, triaged by a job, routed and answered (in-process jobs)."""
import pytest
from sqlalchemy import func, select

from hub.cases import queries
from hub.cases.events import AppendOnlyError
from hub.cases.models import Case, CaseEvent, Message
from hub.cases.service import receive_contact
from hub.db import get_session
from hub.jobs.dispatch import commit_and_dispatch
from hub.jobs.models import OutboxJob


def _receive(**kw):
    got = receive_contact(**kw)
    commit_and_dispatch()
    return got


def _reload(case_id):
    get_session().expire_all()
    return queries.get_case(case_id)


def test_pothole_is_routed_to_the_county(app):
    got = _receive(channel="web", body="big pothole outside 4 Church Street WR14 3AB", email="a@example.org")
    case = _reload(got.case.id)
    assert case.service_code == "roads.pothole"
    assert case.authority_code == "WCC"
    assert case.routing_explanation and "Malvern Hills" in case.routing_explanation
    kinds = [e.kind for e in queries.events(case.id)]
    assert kinds[:2] == ["received", "triaged"]
    outbound = [m for m in queries.messages(case.id) if m.direction == "outbound"]
    assert len(outbound) == 1 and outbound[0].delivery_status == "posted"
    assert get_session().scalar(select(func.count()).select_from(OutboxJob).where(OutboxJob.status != "done")) == 0


def test_non_partner_bin_question_is_signposted(app):
    case = _reload(_receive(channel="sms", body="when is my bin collected HR1 1AA", phone="+447700900123").case.id)
    assert (case.service_code, case.authority_code, case.disposition, case.status) == \
        ("waste.bin_day", "HEREF", "signposted", "resolved")
    reply = [m for m in queries.messages(case.id) if m.direction == "outbound"][0]
    assert "Herefordshire Council" in reply.body and "01632 960008" in reply.body


def test_escalated_case_gets_an_sla_in_working_hours(app):
    case = _reload(_receive(channel="email", body="Our neighbour plays loud music every night. WR1 1AB",
                            email="b@example.org").case.id)
    assert case.status == "open" and case.authority_code == "WCITY"
    assert case.sla_due_at is not None and case.sla_due_at > case.created_at


def test_provider_retry_creates_nothing_new(app):
    first = _receive(channel="sms", body="street light out WR14 3AB", provider_id="SM123", phone="+447700900001")
    again = _receive(channel="sms", body="street light out WR14 3AB", provider_id="SM123", phone="+447700900001")
    assert again.duplicate and again.case.id == first.case.id
    sess = get_session()
    assert sess.scalar(select(func.count()).select_from(Case)) == 1
    assert sess.scalar(select(func.count()).select_from(Message).where(Message.direction == "inbound")) == 1


def test_triage_job_twice_changes_nothing_more(app):
    from hub.triage.service import triage_case

    got = _receive(channel="web", body="street light flickering all night WR1 1AB")
    before = len(queries.events(got.case.id))
    triage_case(case_id=got.case.id)
    commit_and_dispatch()
    assert len(queries.events(got.case.id)) == before


def test_case_events_are_append_only(app):
    got = _receive(channel="web", body="I have a question")
    event = get_session().scalars(select(CaseEvent).where(CaseEvent.case_id == got.case.id)).first()
    event.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        get_session().flush()
    get_session().rollback()


def test_reply_to_a_signposted_answer_reaches_the_hubs_own_queue(app):
    """Nobody here works a non-partner's queue: a reply must land where an adviser sees it."""
    first = _receive(channel="email", body="when is my bin collected HR1 1AA", email="h@example.org")
    case = _reload(first.case.id)
    assert (case.disposition, case.authority_code) == ("signposted", "HEREF")
    _receive(channel="email", body="I phoned them, they say it is you", email="h@example.org", case=case)
    case = _reload(first.case.id)
    assert (case.status, case.disposition, case.authority_code) == ("open", "escalated", "HUB")
    assert case.sla_due_at is not None


@pytest.mark.parametrize("known_citizen", [False, True])
def test_a_failed_unit_of_work_leaves_no_case_behind(app, known_citizen):
    """The case, its message, event and outbox row commit together or not at all.

    With the case as the unit of work's first write (an anonymous contact, or a citizen
    already on file), SQLite used to commit the case on its own.
    """
    if known_citizen:
        _receive(channel="email", body="I have a question", email="known@example.org")
    before = {model: get_session().scalar(select(func.count()).select_from(model))
              for model in (Case, Message, CaseEvent, OutboxJob)}
    receive_contact(channel="web", body="pothole on Church Street WR14 3AB",
                    email="known@example.org" if known_citizen else None)
    get_session().rollback()  # the request or job failed after storing the contact
    after = {model: get_session().scalar(select(func.count()).select_from(model))
             for model in (Case, Message, CaseEvent, OutboxJob)}
    assert after == before
