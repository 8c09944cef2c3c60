"""Whatever a channel lets through, the intake stores it: never a database error on PostgreSQL."""
from hub.cases import queries
from hub.cases.service import receive_contact
from hub.citizens.queries import get as get_citizen
from hub.db import get_session
from hub.jobs.dispatch import commit_and_dispatch


def test_intake_cuts_long_text_to_its_columns_and_strips_nul(app, caplog):
    got = receive_contact(channel="email", body="pot\x00hole on Church Street WR14 3AB", subject="s" * 400,
                          sender="x" * 300, provider_id="p" * 300, name="n" * 250, location_text="l\x00" * 400,
                          email="e" * 250 + "@example.org", phone="0" * 30, postcode="WR14 3AB\x00 and more")
    commit_and_dispatch()  # on PostgreSQL this raised DataError before the intake cleaned its input
    get_session().expire_all()
    case = queries.get_case(got.case.id)
    inbound = [m for m in queries.messages(case.id) if m.direction == "inbound"][0]
    assert inbound.body == "pothole on Church Street WR14 3AB"
    assert inbound.subject == "s" * 300 and len(inbound.sender) == 254 and len(inbound.provider_id) == 255
    assert case.location_text == "l" * 300 and case.summary == "s" * 300
    assert case.postcode == "WR14 3AB"  # the given one was dropped; triage found it in the body
    citizen = get_citizen(case.citizen_id)
    assert citizen.name == "n" * 200 and citizen.email is None and citizen.phone is None
    dropped = {r.detail for r in caplog.records if r.getMessage() == "contact detail dropped"}
    assert dropped == {"email", "phone", "postcode"}


def test_an_answer_with_nul_and_a_long_place_is_stored(app):
    first = receive_contact(channel="sms", body="pothole", phone="+447700900123", sender="+447700900123")
    commit_and_dispatch()
    get_session().expire_all()
    receive_contact(channel="sms", body="it is at\x00 " + "Elm Road " * 60, phone="+447700900123",
                    sender="+447700900123", location_text="Elm Road " * 60 + "\x00")
    commit_and_dispatch()
    get_session().expire_all()
    bodies = [m.body for m in queries.messages(first.case.id) if m.direction == "inbound"]
    assert all("\x00" not in b for b in bodies)
