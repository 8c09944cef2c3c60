"""The portal through Flask's test client, with CSRF protection ON, on both backends."""
from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select

from fixtures.portal_forms import post, submit_other, token
from hub.cases import queries
from hub.cases.models import Case
from hub.db import get_session

def count_cases() -> int:
    get_session().expire_all()
    return get_session().scalar(select(func.count()).select_from(Case))


def test_a_post_without_a_csrf_token_is_refused(app: Any, client: Any) -> None:
    client.get("/report/other")
    refused = client.post("/report/other/message", data={"message": "Hello", "postcode": ""})
    assert refused.status_code == 400
    assert "could not be sent" in refused.get_data(as_text=True)
    forged = client.post("/report/other/message", data={"message": "Hello", "csrf_token": "forged"})
    assert forged.status_code == 400
    assert count_cases() == 0


def test_webhook_urls_are_exempt_from_csrf(client: Any) -> None:
    for url in ("/channels/sms/twilio", "/open311/v2/requests.json"):
        answer = client.post(url, data={"Body": "hi"})
        assert "could not be sent" not in answer.get_data(as_text=True)


def test_validation_errors_are_shown_and_nothing_is_stored(app: Any, client: Any) -> None:
    client.get("/report/missed_bin")
    bad = post(client, "/report/missed_bin/postcode", postcode="not a postcode")
    html = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "govuk-error-summary" in html and "There is a problem" in html
    assert html.count("Enter a real postcode, like WR1 1AB") == 2  # summary and inline
    assert "Error: " in html.split("</title>")[0]
    empty = post(client, "/report/missed_bin/postcode", postcode="")
    assert "Enter your postcode" in empty.get_data(as_text=True)
    # Jumping to "check your answers" goes back to the first unanswered question.
    assert client.get("/report/missed_bin/check").location.endswith("/report/missed_bin/postcode")
    assert post(client, "/report/missed_bin/check").status_code in (302, 400)
    assert post(client, "/report/missed_bin/postcode", postcode="WR1 1AB").status_code == 302
    assert post(client, "/report/missed_bin/address", address="1 High St").status_code == 302
    no_bin = post(client, "/report/missed_bin/bin_type")
    assert "Select which bin was not collected" in no_bin.get_data(as_text=True)
    assert post(client, "/report/missed_bin/bin_type", bin_type="recycling").status_code == 302
    bad_email = post(client, "/report/missed_bin/contact", email="not-an-email", phone="12")
    text = bad_email.get_data(as_text=True)
    assert "Enter an email address in the correct format" in text and "Enter a phone number" in text
    assert count_cases() == 0


def test_a_journey_creates_a_web_case_and_confirms_by_email(app: Any, client: Any) -> None:
    ref = submit_other(client, "Our neighbour plays loud music every night", email="Resident@Example.org")
    page = client.get(f"/confirmation/{ref}").get_data(as_text=True)
    assert ref in page and 'id="reply"' in page
    case = queries.get_case_by_reference(ref)
    assert case.channel == "web" and case.postcode == "WR1 1AB"
    sent = [m for m in queries.messages(case.id) if m.direction == "outbound" and m.channel == "email"]
    assert len(sent) == 1 and ref in sent[0].body and sent[0].recipient == "resident@example.org"


def test_the_honeypot_stores_nothing(app: Any, client: Any) -> None:
    client.get("/report/other")
    trapped = post(client, "/report/other/message", message="cheap pills", website="http://spam.example")
    assert trapped.status_code == 302 and trapped.location.endswith("/")
    assert count_cases() == 0


def test_a_confirmation_is_shown_only_to_the_browser_that_sent_it(app: Any, client: Any) -> None:
    ref = submit_other(client, "A question about my account")
    other = app.test_client()
    assert other.get(f"/confirmation/{ref}").status_code == 404
    assert other.get(f"/track/{ref}").status_code == 302


def test_tracking_with_a_wrong_email_or_phone_reveals_nothing(app: Any, client: Any) -> None:
    ref = submit_other(client, "Noise from the pub every night", email="owner@example.org", phone="07700 900555")
    stranger = app.test_client()
    answers = []
    for reference, contact in ((ref, "someone@example.org"), (ref, "07700 900999"),
                               ("ABCD-EFGH", "owner@example.org"), (ref, "")):
        refused = post(stranger, "/track", reference=reference, contact=contact)
        html = refused.get_data(as_text=True)
        assert refused.status_code == 400
        assert "Noise from the pub" not in html and f"Case {ref}" not in html
        answers.append("We could not find a case" in html)
    assert answers == [True, True, True, False]  # an empty field gets "Enter …" instead
    assert stranger.get(f"/track/{ref}").status_code == 302
    found = post(stranger, "/track", reference=ref.lower().replace("-", ""), contact="07700900555")
    assert found.status_code == 302 and found.location.endswith(f"/track/{ref}")


def test_tracking_attempts_are_rate_limited(app: Any, client: Any) -> None:
    statuses = [post(client, "/track", reference="ABCD-EFGH", contact="x@example.org").status_code
                for _ in range(11)]
    assert statuses[:10] == [400] * 10 and statuses[10] == 429


def test_a_reply_from_the_tracking_page_reaches_the_case(app: Any, client: Any) -> None:
    ref = submit_other(client, "Loud music from number 4", email="owner@example.org")
    case = queries.get_case_by_reference(ref)
    case.status, case.disposition = "resolved", "self_served"  # as if answered and closed
    get_session().commit()
    visitor = app.test_client()
    assert post(visitor, "/track", reference=ref, contact="owner@example.org").status_code == 302
    sent = post(visitor, f"/track/{ref}", message="It is still happening at 2am")
    assert sent.status_code == 302
    page = visitor.get(sent.location).get_data(as_text=True)
    assert "It is still happening at 2am" in page
    get_session().expire_all()
    case = queries.get_case_by_reference(ref)
    inbound = [m.body for m in queries.messages(case.id) if m.direction == "inbound"]
    assert inbound[-1] == "It is still happening at 2am"
    assert case.status == "open" and case.sla_due_at is not None
    # A reply to an automatic answer goes to advisers (escalated), never lost in a closed case.
    assert "escalated" in [e.kind for e in queries.events(case.id)]


def test_this_did_not_answer_my_question_escalates(app: Any, client: Any) -> None:
    ref = submit_other(client, "How do I renew library books?")
    case = queries.get_case_by_reference(ref)
    case.status, case.disposition, case.self_served = "resolved", "self_served", True
    get_session().commit()
    page = client.get(f"/confirmation/{ref}").get_data(as_text=True)
    assert "This did not answer my question" in page
    done = post(client, f"/confirmation/{ref}/not-answered", source=f"/confirmation/{ref}")
    assert done.status_code == 302
    get_session().expire_all()
    case = queries.get_case_by_reference(ref)
    assert (case.status, case.disposition, case.self_served) == ("open", "escalated", False)


def test_security_headers_and_cookies(client: Any) -> None:
    page = client.get("/report/other", follow_redirects=True)
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert f'nonce="{nonce}"' in page.get_data(as_text=True)
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["Cache-Control"] == "no-store"
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"


def test_search_finds_services_by_what_people_call_them(client: Any) -> None:
    html = client.get("/?q=my+bin+wasn't+emptied").get_data(as_text=True)
    results = html.split('id="results"')[1].split("</ul>")[0]
    assert "Report a missed bin collection" in results
    assert client.get("/services/waste.missed_bin").status_code == 200
    assert client.get("/services/no.such").status_code == 404


def test_bin_day_calendar(app: Any, client: Any) -> None:
    assert client.get("/bin-day/NOTAPC.ics").status_code == 404
    feed = client.get("/bin-day/WR143AB.ics")
    if feed.status_code == 200:  # the bin_day workflow is installed
        body = feed.get_data(as_text=True)
        assert feed.mimetype == "text/calendar" and body.startswith("BEGIN:VCALENDAR")
        assert "BEGIN:VEVENT" in body
    assert count_cases() == 0  # looking up a calendar is not a contact


def test_safeguarding_words_show_how_to_get_help_now(app: Any, client: Any) -> None:
    ref = submit_other(client, "I am not safe at home, he hits me")
    page = client.get(f"/confirmation/{ref}").get_data(as_text=True)
    assert "Get help now" in page and "Samaritans" in page
    case = queries.get_case_by_reference(ref)
    assert case.disposition == "urgent"


def test_help_is_shown_before_triage_has_run(database_url: str, redis_url: str, new_app: Any) -> None:
    # With Redis, triage waits for a worker; the confirmation page must not wait for it.
    queued = new_app(database_url, REDIS_URL=redis_url)
    with queued.app_context():
        visitor = queued.test_client()
        ref = submit_other(visitor, "I want to end my life")
        case = queries.get_case_by_reference(ref)
        assert case.status == "new"
        page = visitor.get(f"/confirmation/{ref}").get_data(as_text=True)
        assert "Get help now" in page and "116 123" in page


def test_behind_a_proxy_limits_count_each_citizen_separately(database_url: str, new_app: Any) -> None:
    proxied = new_app(database_url, HUB_PROXY_COUNT="1")
    with proxied.app_context():
        visitor = proxied.test_client()

        def attempt(address: str) -> int:
            return visitor.post("/track", data={"csrf_token": token(visitor, "/track"), "reference": "",
                                                "contact": ""}, headers={"X-Forwarded-For": address}).status_code

        assert [attempt("198.51.100.7") for _ in range(11)][-1] == 429
        assert attempt("198.51.100.8") == 400  # another citizen is not locked out


def test_a_proxy_the_hub_was_not_told_about_is_reported_once(database_url: str, new_app: Any, caplog: Any) -> None:
    unaware = new_app(database_url, HUB_PROXY_COUNT="0")
    with unaware.app_context(), caplog.at_level("WARNING", logger="hub.security"):
        visitor = unaware.test_client()
        visitor.get("/")
        assert not [r for r in caplog.records if "HUB_PROXY_COUNT" in r.getMessage()]
        for _ in range(3):
            assert visitor.get("/", headers={"X-Forwarded-For": "198.51.100.7"}).status_code == 200
    warnings = [r for r in caplog.records if "HUB_PROXY_COUNT is 0" in r.getMessage()]
    assert len(warnings) == 1


def test_changing_an_answer_returns_to_check_your_answers(app: Any, client: Any) -> None:
    client.get("/report/pothole")
    post(client, "/report/pothole/location", postcode="WR14 3AB", location="by the school")
    post(client, "/report/pothole/description", description="deep hole")
    post(client, "/report/pothole/contact")
    check = client.get("/report/pothole/check").get_data(as_text=True)
    assert "/report/pothole/description?from=check" in check
    changed = post(client, "/report/pothole/description?from=check", description="very deep hole")
    assert changed.location.endswith("/report/pothole/check")
    assert "very deep hole" in client.get("/report/pothole/check").get_data(as_text=True)
