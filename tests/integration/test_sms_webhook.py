"""Twilio's inbound webhook, driven with requests signed by the real RequestValidator."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from fixtures.twilio_stub import HUB_NUMBER, PUBLIC_URL, TEST_ACCOUNT_SID, sign
from hub.cases import queries
from hub.cases.models import Case, Message
from hub.citizens.models import Citizen
from hub.db import get_session

PATH = "/channels/sms/twilio"
PHONE = "+447700900123"


def _params(body: str, sid: str = "SM" + "a" * 32, from_: str = PHONE) -> dict[str, str]:
    return {"MessageSid": sid, "AccountSid": TEST_ACCOUNT_SID, "From": from_, "To": HUB_NUMBER, "Body": body}


def _count(model) -> int:
    get_session().expire_all()
    return get_session().scalar(select(func.count()).select_from(model))


def _cases() -> list[Case]:
    get_session().expire_all()
    return list(get_session().scalars(select(Case).order_by(Case.id)))


def _outbound(case_id: int) -> list[Message]:
    get_session().expire_all()
    return [m for m in queries.messages(case_id) if m.direction == "outbound"]


def test_unsigned_request_is_refused(sms_app, caplog):
    resp = sms_app.test_client().post(PATH, data=_params("pothole on Church Street WR14 3AB"))
    assert resp.status_code == 403
    assert _count(Case) == 0 and _count(Message) == 0
    assert "no X-Twilio-Signature header" in caplog.text


def test_forged_signature_is_refused(sms_app, caplog):
    params = _params("pothole on Church Street WR14 3AB")
    forged = sign(params, PATH, token="not-the-account-token")
    resp = sms_app.test_client().post(PATH, data=params, headers={"X-Twilio-Signature": forged})
    assert resp.status_code == 403
    tampered = sign(params, PATH)
    params["Body"] = "something else"
    resp = sms_app.test_client().post(PATH, data=params, headers={"X-Twilio-Signature": tampered})
    assert resp.status_code == 403
    assert _count(Case) == 0
    assert "does not match" in caplog.text


def test_signature_is_checked_against_the_public_url_behind_a_proxy(sms_app):
    """The app sees http://localhost/... but Twilio signed https://hub.example.org/..."""
    client = sms_app.test_client()
    params = _params("street light out WR14 3AB")
    internal = sign(params, PATH, base="http://localhost")
    assert client.post(PATH, data=params, headers={"X-Twilio-Signature": internal}).status_code == 403
    # A percent-escape in the query string must be checked as sent, not as Werkzeug decodes it.
    path = PATH + "?note=a%20b%2Fc"
    public = sign(params, path)
    resp = client.post(path, data=params, headers={"X-Twilio-Signature": public})
    assert resp.status_code == 200
    assert resp.mimetype == "text/xml" and resp.get_data(as_text=True).endswith("<Response />")
    assert _count(Case) == 1


def test_without_an_auth_token_nothing_is_accepted(database_url, new_app):
    app = new_app(database_url, HUB_PUBLIC_URL=PUBLIC_URL)
    with app.app_context():
        params = _params("pothole WR14 3AB")
        resp = app.test_client().post(PATH, data=params, headers={"X-Twilio-Signature": sign(params, PATH, token="")})
        assert resp.status_code == 403
        assert _count(Case) == 0


def test_missing_fields_are_a_clear_400(sms_app):
    params = {"AccountSid": TEST_ACCOUNT_SID, "Body": "hello"}
    resp = sms_app.test_client().post(PATH, data=params, headers={"X-Twilio-Signature": sign(params, PATH)})
    assert resp.status_code == 400 and b"MessageSid" in resp.data


def test_retried_message_sid_creates_nothing_new(text_hub, twilio_stub):
    first = text_hub("Dog barking all night next door WR1 1AB", sid="SM" + "b" * 32)
    sent = len(twilio_stub.messages)
    again = text_hub("Dog barking all night next door WR1 1AB", sid="SM" + "b" * 32)
    assert first.status_code == again.status_code == 200
    assert _count(Case) == 1 and _count(Message) == 1 + sent
    assert len(twilio_stub.messages) == sent  # no second acknowledgement either
    case = _cases()[0]
    assert (case.channel, case.authority_code) == ("sms", "WCITY")
    citizen = get_session().get(Citizen, case.citizen_id)
    assert citizen.phone == PHONE


def test_national_format_sender_is_stored_in_e164(text_hub):
    text_hub("Dog barking all night next door WR1 1AB", from_="07700 900123")
    assert get_session().scalars(select(Citizen.phone)).all() == [PHONE]


def test_bin_day_text_is_answered_with_the_collection_days(text_hub, twilio_stub):
    assert text_hub("BIN WR14 3AB").status_code == 200
    (case,) = _cases()
    assert (case.service_code, case.postcode) == ("waste.bin_day", "WR14 3AB")
    assert case.disposition == "self_served", case.routing_explanation
    (sent,) = twilio_stub.messages
    assert sent.form["To"] == PHONE
    body = sent.form["Body"].lower()
    assert "collection" in body and ("general waste" in body or "recycling" in body)
    assert re.search(r"\b(mon|tue|wed|thu|fri|sat)[a-z]* \d{1,2} [a-z]{3}", body), body  # e.g. "Fri 4 Dec"


def test_street_light_without_a_location_is_completed_by_the_next_text(text_hub, twilio_stub):
    text_hub("The street light outside my house has been out for a week")
    (case,) = _cases()
    assert (case.status, case.service_code) == ("needs_info", "roads.street_light")
    (question,) = twilio_stub.messages
    assert "where it is" in question.form["Body"]
    text_hub("It is outside 4 Church Street WR14 3AB")
    (case,) = _cases()  # the answer joined the waiting case
    assert case.status != "needs_info"
    assert (case.service_code, case.authority_code) == ("roads.street_light", "WCC")
    assert len([m for m in queries.messages(case.id) if m.direction == "inbound"]) == 2


def test_stop_stops_outbound_texts_until_start(text_hub, twilio_stub):
    from hub.messaging.service import send_reply
    from hub.jobs.dispatch import commit_and_dispatch

    text_hub("Dog barking all night next door WR1 1AB")
    (case,) = _cases()
    before = len(twilio_stub.messages)
    stop = text_hub("Stop")
    assert stop.status_code == 200 and "<Message>" not in stop.get_data(as_text=True)
    assert get_session().scalars(select(Citizen.sms_opted_out)).all() == [True]

    send_reply(case, "An officer will visit on Tuesday.")
    commit_and_dispatch()
    refused = _outbound(case.id)[-1]
    assert refused.delivery_status == "failed" and "opted out" in refused.delivery_error
    assert len(twilio_stub.messages) == before

    start = text_hub("START")
    assert "again" in start.get_data(as_text=True)
    send_reply(case, "The officer has been.")
    commit_and_dispatch()
    assert _outbound(case.id)[-1].delivery_status == "sent"
    assert len(twilio_stub.messages) == before + 1


def test_stop_synonyms_and_yes_after_opting_out(text_hub):
    for word in ("unsubscribe", "CANCEL.", " end ", "Quit", "stopall"):
        text_hub("START")
        text_hub(word)
        assert get_session().scalars(select(Citizen.sms_opted_out)).all() == [True], word
    text_hub("yes")
    assert get_session().scalars(select(Citizen.sms_opted_out)).all() == [False]
    assert _count(Case) == 0  # commands are not cases


def test_help_is_answered_in_the_twiml(text_hub):
    resp = text_hub("help")
    assert resp.status_code == 200
    body = resp.get_data(as_text=True)
    assert "<Message>" in body and "BIN" in body and "STATUS" in body
    assert _count(Case) == 0


def test_status_reveals_only_the_senders_own_case(text_hub):
    text_hub("Dog barking all night next door WR1 1AB")
    (case,) = _cases()
    mine = text_hub(f"status {case.reference.lower()}").get_data(as_text=True)
    assert case.reference in mine and "Worcester City Council" in mine
    theirs = text_hub(f"STATUS {case.reference}", from_="+447700900999").get_data(as_text=True)
    assert "could not find" in theirs and "adviser" not in theirs
    typo = text_hub("STATUS " + case.reference[:-1] + ("A" if case.reference[-1] != "A" else "B")).get_data(as_text=True)
    assert "not one of our references" in typo


def test_text_is_committed_before_the_answer_and_triaged_after_it(sms_app, twilio_stub):
    """Twilio hears back before triage runs (it waits 15 s at most); nothing is lost in between."""
    params = _params("Dog barking all night next door WR1 1AB")
    resp = sms_app.test_client().post(PATH, data=params, headers={"X-Twilio-Signature": sign(params, PATH)})
    assert resp.status_code == 200
    (case,) = _cases()
    assert case.status == "new" and twilio_stub.messages == []  # answered; triage not run yet
    resp.close()  # the server has sent the answer
    (case,) = _cases()
    assert case.status == "open" and len(twilio_stub.messages) == 1


def test_sender_that_is_not_a_phone_number_is_stored_without_a_citizen(text_hub):
    assert text_hub("STOP", from_="ALERTS").status_code == 200
    assert _count(Citizen) == 0
    text_hub("Dog barking all night next door WR1 1AB", from_="ALERTS")
    (case,) = _cases()
    assert case.citizen_id is None
    (msg,) = [m for m in queries.messages(case.id) if m.direction == "inbound"]
    assert msg.sender == "ALERTS"
