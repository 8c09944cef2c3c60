"""Contact details belong to the case they came with (decision 0024), on both backends.

Citizen records are shared by the whole partnership and matched on unverified details, so
nothing a case shows, replies to or accepts for tracking may come from the shared record.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from fixtures.portal_forms import post, submit_other
from hub.cases import queries as cases
from hub.cases.models import Case
from hub.citizens.models import Citizen
from hub.db import get_session


def _post(client: Any, url: str, **data: str) -> Any:
    from fixtures.staff import csrf_token

    return client.post(url, data={"csrf_token": csrf_token(client, "/adviser/"), **data})


def _citizen(citizen_id: int) -> Citizen:
    get_session().expire_all()
    citizen = get_session().get(Citizen, citizen_id)
    assert citizen is not None
    return citizen


def _newest_case(channel: str) -> Case:
    get_session().expire_all()
    return get_session().scalars(select(Case).where(Case.channel == channel).order_by(Case.id.desc())).first()


def test_an_adviser_typing_another_councils_residents_email_sees_only_what_they_typed(adviser_client, make_case):
    wcc = make_case("WCC", "roads.pothole", email="robert.lewis@example.org", phone="+447700900921")
    client, _ = adviser_client("mhdc@example.org", ("MHDC",))
    logged = _post(client, "/adviser/assisted", channel="phone", service="waste.bin_day", postcode="WR14 3AB",
                   summary="Asked about their bin day", email="robert.lewis@example.org")
    assert logged.status_code == 302
    case = _newest_case("phone")
    assert case.authority_code == "MHDC" and case.citizen_id == wcc.citizen_id
    page = client.get(f"/adviser/cases/{case.id}").get_data(as_text=True)
    assert "robert.lewis@example.org" in page  # what the adviser typed
    assert "A Resident" not in page and "900921" not in page  # the WCC contact's name and phone
    assert wcc.reference not in page


def test_an_adviser_typing_another_councils_residents_phone_sees_only_what_they_typed(adviser_client, make_case):
    make_case("WCC", "roads.pothole", email="thomas.nowak@example.org", phone="+447700900425")
    client, _ = adviser_client("mhdc2@example.org", ("MHDC",))
    assert _post(client, "/adviser/assisted", channel="phone", service="waste.bin_day", postcode="WR14 3AB",
                 summary="Asked about their bin day", phone="07700 900425").status_code == 302
    page = client.get(f"/adviser/cases/{_newest_case('phone').id}").get_data(as_text=True)
    assert "+447700900425" in page
    assert "thomas.nowak@example.org" not in page and "A Resident" not in page


def test_a_stranger_cannot_attach_their_email_to_a_residents_phone(app, client, adviser_client, make_case):
    victim = make_case("WCITY", channel="sms", phone="+447700900512", email=None)
    attackers = submit_other(client, "Please update my details", email="attacker@evil.example",
                             phone="07700 900512")
    # The resident's record and case are unchanged; the attacker's case keeps the attacker's details.
    assert _citizen(victim.citizen_id).email is None
    get_session().expire_all()
    assert (get_session().get(Case, victim.id).contact_email, get_session().get(Case, victim.id).contact_phone) \
        == (None, "+447700900512")
    theirs = cases.get_case_by_reference(attackers)
    assert (theirs.contact_email, theirs.contact_phone) == ("attacker@evil.example", "+447700900512")
    # Tracking the resident's case with the attacker's email reveals nothing.
    stranger = app.test_client()
    refused = post(stranger, "/track", reference=victim.reference, contact="attacker@evil.example")
    assert refused.status_code == 400 and "We could not find a case" in refused.get_data(as_text=True)
    assert stranger.get(f"/track/{victim.reference}").status_code == 302
    # An adviser answering the resident's case by email is refused, so nothing goes to the attacker.
    adviser, _ = adviser_client("wcity@example.org", ("WCITY",))
    answer = _post(adviser, f"/adviser/cases/{victim.id}/reply", text="Your bin will be collected", channel="email")
    assert answer.status_code == 400
    assert [m.recipient for m in cases.messages(victim.id) if m.direction == "outbound"] == []


def test_a_reply_by_email_on_a_case_without_an_email_is_refused(adviser_client, make_case):
    case = make_case("WCITY", channel="sms", phone="+447700900333", email=None)
    client, _ = adviser_client("refuse@example.org", ("WCITY",))
    refused = _post(client, f"/adviser/cases/{case.id}/reply", text="We will visit on Monday.", channel="email")
    assert refused.status_code == 400
    assert "This case has no email address: reply by text or note the call" in refused.get_data(as_text=True)
    assert [m for m in cases.messages(case.id) if m.direction == "outbound"] == []
    assert "replied" not in [e.kind for e in cases.events(case.id)]


def test_a_reply_with_an_address_but_no_provider_says_it_was_not_sent(adviser_client, make_case):
    case = make_case("WCITY", channel="sms", phone="+447700900334", email=None)
    client, _ = adviser_client("logged@example.org", ("WCITY",))
    done = _post(client, f"/adviser/cases/{case.id}/reply", text="We will visit on Monday.", channel="sms")
    assert done.status_code == 302
    page = client.get(done.location).get_data(as_text=True)
    assert "recorded (not sent: no provider configured)" in page and "Reply sent." not in page
    sent = [(m.recipient, m.delivery_status) for m in cases.messages(case.id) if m.direction == "outbound"]
    assert sent == [("+447700900334", "logged")]


def test_a_later_contact_fills_only_what_the_case_lacks(app):
    from hub.cases.service import receive_contact

    first = receive_contact(channel="web", body="Fly-tipping behind the shops", name="Sam Shopkeeper",
                            email="sam@example.org")
    receive_contact(channel="web", body="It is still there", case=first.case, name="Someone Else",
                    email="other@example.org", phone="+447700900777")
    get_session().flush()
    case = cases.get_case(first.case.id)
    assert (case.contact_name, case.contact_email, case.contact_phone) == \
        ("Sam Shopkeeper", "sam@example.org", "+447700900777")
