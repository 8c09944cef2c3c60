"""Decision 0023 end to end on SQLite and PostgreSQL: an out-of-area postcode is resolved with
a plain answer (no question loop), an emergency is urgent with 999 first."""
from __future__ import annotations

from hub.cases import queries
from hub.cases.models import PRIORITIES
from hub.cases.service import receive_contact
from hub.db import get_session
from hub.jobs.dispatch import commit_and_dispatch


def _case(**kw):
    got = receive_contact(**kw)
    commit_and_dispatch()
    get_session().expire_all()
    return queries.get_case(got.case.id)


def _outbound(case_id: int) -> list[str]:
    return [m.body for m in queries.messages(case_id) if m.direction == "outbound"]


def test_an_sms_from_outside_the_area_is_answered_once_and_resolved(app):
    case = _case(channel="sms", body="big pothole on the high street B1 1AA", phone="+447700900401")
    assert (case.status, case.disposition, case.authority_code) == ("resolved", "signposted", None)
    [reply] = _outbound(case.id)
    assert "outside the councils this hub serves" in reply and "gov.uk/find-local-council" in reply
    # The same postcode again is a new contact answered the same way, not a question loop.
    again = _case(channel="sms", body="B1 1AA big pothole", phone="+447700900401")
    assert again.status != "needs_info"


def test_a_gas_smell_is_urgent_with_999_first(app):
    case = _case(channel="sms", body="strong smell of gas outside the flats", phone="+447700900402")
    assert (case.status, case.disposition, case.authority_code) == ("open", "urgent", "HUB")
    assert case.priority == PRIORITIES["urgent"]
    assert _outbound(case.id)[0].startswith("If anyone is in danger, call 999 now")
