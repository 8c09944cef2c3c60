"""Open311 GeoReport v2: one jurisdiction per partner council, JSON and XML, public data only."""
import logging
from xml.etree import ElementTree as ET

import pytest

from hub.cases.service import receive_contact
from hub.db import get_session
from hub.jobs.dispatch import commit_and_dispatch

KEY = "test-open311-key"


@pytest.fixture
def api(database_url, new_app):
    app = new_app(database_url, HUB_OPEN311_API_KEYS=f"other,{KEY}")
    with app.app_context():
        yield app.test_client()


def test_discovery(api):
    data = api.get("/open311/v2/discovery.json").json
    assert data["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    root = ET.fromstring(api.get("/open311/v2/discovery.xml").data)
    assert root.tag == "discovery" and root.find("endpoints/endpoint/url").text.endswith("/open311/v2/")


def test_services_follow_the_councils_tier(api):
    county = {s["service_code"] for s in api.get("/open311/v2/services.json?jurisdiction_id=WCC").json}
    district = {s["service_code"] for s in api.get("/open311/v2/services.json?jurisdiction_id=MHDC").json}
    assert "roads.pothole" in county and "waste.bin_day" not in county
    assert "waste.bin_day" in district and "roads.pothole" not in district
    assert "social_care.safeguarding" not in county  # never taken through an API
    root = ET.fromstring(api.get("/open311/v2/services.xml?jurisdiction_id=WCITY").data)
    assert root.tag == "services" and root.find("service/service_code") is not None
    assert api.get("/open311/v2/services/roads.pothole.json?jurisdiction_id=WCC").json["service_code"] == "roads.pothole"


@pytest.mark.parametrize("url, status", [
    ("/open311/v2/services.json", 400),
    ("/open311/v2/services.json?jurisdiction_id=WYCH", 404),   # not a partner
    ("/open311/v2/services/waste.bin_day.json?jurisdiction_id=WCC", 404),
    ("/open311/v2/requests.json?jurisdiction_id=WCC&start_date=yesterday", 400),
    ("/open311/v2/requests.json?jurisdiction_id=WCC&status=maybe", 400),
    ("/open311/v2/requests.json?jurisdiction_id=WCC&start_date=9999-12-31T23:59:59-05:00", 400),
    ("/open311/v2/requests.json?jurisdiction_id=WCC&start_date=0001-01-01T00:00:00%2B05:00", 400),
    ("/open311/v2/requests.json?jurisdiction_id=WCC&end_date=9999-12-31T23:59:59-05:00", 400),
    ("/open311/v2/requests.json?jurisdiction_id=WCC&end_date=2026-01-01%00", 400),
    ("/open311/v2/requests/ABCD-EFGH.json?jurisdiction_id=WCC", 404),
    ("/open311/v2/services.yaml?jurisdiction_id=WCC", 404),
])
def test_errors_are_open311_errors(api, url, status):
    response = api.get(url)
    assert response.status_code == status
    if response.is_json:
        assert response.json[0]["code"] == status and response.json[0]["description"]


def test_post_creates_a_triaged_case_and_lists_it_without_personal_data(api):
    form = {"jurisdiction_id": "WCC", "service_code": "roads.pothole", "zipcode": "wr14 3ab",
            "address_string": "4 Church Street", "description": "Deep pothole by the bus stop",
            "email": "reporter@example.org", "first_name": "Ann", "api_key": KEY}
    created = api.post("/open311/v2/requests.json", data=form)
    assert created.status_code == 201, created.json
    ref = created.json[0]["service_request_id"]
    listed = api.get("/open311/v2/requests.json?jurisdiction_id=WCC").json
    assert [r["service_request_id"] for r in listed] == [ref]
    assert listed[0]["status"] == "open"
    # Where, never who: the street without its house number, and the postcode sector only.
    assert (listed[0]["address"], listed[0]["zipcode"]) == ("Church Street", "WR14 3")
    assert "reporter@example.org" not in str(listed) and "Ann" not in str(listed)
    assert "4 Church" not in str(listed) and "WR14 3AB" not in str(listed)
    one = ET.fromstring(api.get(f"/open311/v2/requests/{ref}.xml?jurisdiction_id=WCC").data)
    assert one.find("request/service_request_id").text == ref
    # Another jurisdiction does not see it.
    assert api.get(f"/open311/v2/requests/{ref}.json?jurisdiction_id=MHDC").status_code == 404


def test_post_refusals(api):
    base = {"jurisdiction_id": "WCC", "service_code": "roads.pothole", "zipcode": "WR14 3AB", "description": "hole"}
    assert api.post("/open311/v2/requests.json", data=base).status_code == 403
    assert api.post("/open311/v2/requests.json", data={**base, "api_key": "wrong"}).status_code == 403
    wrong_place = api.post("/open311/v2/requests.json", data={**base, "api_key": KEY, "zipcode": "HR1 1AA"})
    assert wrong_place.status_code == 400 and "Herefordshire" in wrong_place.json[0]["description"]
    assert api.post("/open311/v2/requests.json", data={**base, "api_key": KEY, "zipcode": ""}).status_code == 400
    assert api.post("/open311/v2/requests.json", data={**base, "api_key": KEY, "description": " "}).status_code == 400


def test_private_services_are_never_listed(api):
    receive_contact(channel="web", body="my bin wasn't emptied", postcode="WR1 1AB", chosen_service="waste.missed_bin")
    commit_and_dispatch()
    assert api.get("/open311/v2/requests.json?jurisdiction_id=WCITY").json == []


@pytest.mark.parametrize("field, value, says", [
    ("address_string", "x" * 400, "address_string is longer than 300"),
    ("phone", "0" * 30, "phone is not a valid phone number"),
    ("phone", "call me maybe", "phone is not a valid phone number"),
    ("first_name", "n" * 250, "first_name is longer than 100"),
    ("last_name", "n" * 101, "last_name is longer than 100"),
    ("email", "not-an-address", "email is not a valid email address"),
    ("email", "a" * 250 + "@example.org", "email is not a valid email address"),
    ("description", "pot\x00hole", "'description' must not contain NUL"),
    ("address_string", "4 Church\x00 Street", "'address_string' must not contain NUL"),
    ("description", "d" * 4001, "description is longer than 4000"),
], ids=["long-address", "long-phone", "words-phone", "long-first-name", "long-last-name", "bad-email",
        "long-email", "nul-description", "nul-address", "long-description"])
def test_post_refuses_odd_fields_with_a_400(api, field, value, says, caplog):
    """On PostgreSQL each of these was a DataError (500); now a GeoReport error saying which field."""
    caplog.set_level(logging.INFO, logger="hub.open311.routes")
    form = {"jurisdiction_id": "WCC", "service_code": "roads.pothole", "zipcode": "WR14 3AB",
            "description": "Deep pothole", "api_key": KEY, field: value}
    response = api.post("/open311/v2/requests.json", data=form)
    assert response.status_code == 400, response.get_data(as_text=True)
    assert says in response.json[0]["description"]
    assert any(r.getMessage().startswith("open311 refused") for r in caplog.records)


def test_post_stores_the_phone_in_e164_and_the_email_normalised(api):
    from hub.cases import queries
    from hub.citizens.queries import get

    form = {"jurisdiction_id": "WCC", "service_code": "roads.pothole", "zipcode": "WR14 3AB",
            "description": "Deep pothole", "api_key": KEY, "phone": "07700 900123",
            "email": "Reporter@Example.ORG", "first_name": " Ann ", "last_name": "Lee"}
    created = api.post("/open311/v2/requests.json", data=form)
    assert created.status_code == 201, created.json
    case = queries.get_case_by_reference(created.json[0]["service_request_id"])
    citizen = get(case.citizen_id)
    assert (citizen.phone, citizen.email, citizen.name) == ("+447700900123", "reporter@example.org", "Ann Lee")


def test_a_street_report_never_publishes_where_the_reporter_lives(api):
    got = receive_contact(channel="web", body="rubbish dumped outside my house at 12 Elm Road WR14 3AB, fly tipping again")
    commit_and_dispatch()
    get_session().expire_all()  # the jobs ran in their own session
    page = api.get(f"/open311/v2/requests/{got.case.reference}.json?jurisdiction_id=MHDC")
    assert page.status_code == 200, page.get_data(as_text=True)
    request = page.json[0]
    assert request["service_code"] == "environment.fly_tipping"
    assert (request["address"], request["zipcode"]) == ("Elm Road", "WR14 3")
    text = page.get_data(as_text=True) + api.get(f"/open311/v2/requests/{got.case.reference}.xml?jurisdiction_id=MHDC").get_data(as_text=True)
    assert "12 Elm" not in text
    assert "my house" not in text and "WR14 3AB" not in text


@pytest.mark.parametrize("location, street", [
    ("12 Elm Road, outside my house at 12 Elm", "Elm Road"), ("Flat 3, Rose Cottage, Elm Rd.", "Elm Road"),
    ("4 Church St", "Church Street"), ("the high street", "High Street"), ("outside the Co-op", None),
    ("12 Elm", None), ("my house, 3 Mill Lane", "Mill Lane"), (None, None),
])
def test_public_street_drops_house_numbers_and_the_citizens_words(location, street):
    from hub.open311.privacy import public_area, public_street

    assert public_street(location) == street
    assert public_area("wr14 3ab") == "WR14 3" and public_area("nonsense") is None and public_area(None) is None
