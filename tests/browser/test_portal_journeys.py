"""Every portal journey walked to its confirmation page in headless Chromium, JavaScript
off, with axe-core run on every page seen (no serious or critical violations allowed)."""
from __future__ import annotations

from typing import Any

import pytest

from fixtures.browser import accessible, press

pytestmark = pytest.mark.browser


def answer(page: Any, axe: Any, fields: dict[str, str], button: str = "Continue") -> None:
    """Fill in one page of a journey (checked with axe first) and press its button."""
    accessible(page, axe)
    for label, value in fields.items():
        page.get_by_label(label, exact=False).first.fill(value)
    press(page, button)


def reference(page: Any) -> str:
    return page.locator("#reference").inner_text().strip()


def test_information_pages_and_search(page: Any, axe: Any) -> None:
    page.goto("/")
    accessible(page, axe)
    assert page.locator("h1").inner_text() == "Council services"
    assert page.locator("img[src*='crest'], .govuk-logo, svg.govuk-header__logotype").count() == 0
    page.get_by_label("Search for a service").fill("bin wasn't emptied")
    press(page, "Search")
    accessible(page, axe)
    with page.expect_navigation():
        page.get_by_role("link", name="Report a missed bin collection").first.click()
    accessible(page, axe)
    assert "Who is responsible" in page.content()
    for path in ("/accessibility", "/privacy", "/track", "/services/social_care.safeguarding"):
        page.goto(path)
        accessible(page, axe)


def test_bin_day(page: Any, axe: Any) -> None:
    page.goto("/report/bin_day")
    answer(page, axe, {"What is your postcode?": "zz99"})
    assert page.locator(".govuk-error-summary").is_visible()
    assert "Enter a real postcode" in page.locator(".govuk-error-summary").inner_text()
    answer(page, axe, {"What is your postcode?": "WR14 3AB"})
    accessible(page, axe)
    assert reference(page)
    assert page.locator("#reply").inner_text()


def test_missed_bin(page: Any, axe: Any) -> None:
    page.goto("/report/missed_bin")
    answer(page, axe, {"What is your postcode?": "WR1 1AB"})
    answer(page, axe, {"What is your address?": "12 High Street"})
    accessible(page, axe)
    page.get_by_label("Recycling").check()
    press(page, "Continue")
    answer(page, axe, {"Email address": "resident@example.org"})
    accessible(page, axe)
    assert "12 High Street" in page.locator(".govuk-summary-list").inner_text()
    press(page, "Send")
    accessible(page, axe)
    assert reference(page)


@pytest.mark.parametrize("journey", ["pothole", "street_light", "fly_tipping"])
def test_street_report(page: Any, axe: Any, journey: str) -> None:
    page.goto(f"/report/{journey}")
    answer(page, axe, {"What is the postcode": "WR14 3AB", "Where exactly is it?": "Outside 4 Church Street"})
    answer(page, axe, {"Describe the problem": "It has been like this for a week"})
    answer(page, axe, {"Mobile phone number": "07700 900123"})
    answer(page, axe, {}, button="Send")
    accessible(page, axe)
    assert reference(page)


def test_question_not_answered_goes_to_an_adviser(page: Any, axe: Any) -> None:
    page.goto("/report/question")
    answer(page, axe, {"What is your question?": "How do I renew my library books?"})
    answer(page, axe, {})
    answer(page, axe, {}, button="Send")
    accessible(page, axe)
    ref = reference(page)
    button = page.get_by_role("button", name="This did not answer my question")
    if button.count():  # the knowledge base answered it (faq workflow present)
        press(page, "This did not answer my question")
        accessible(page, axe)
        assert "Passed to an adviser" in page.locator("h1").inner_text()
    assert ref


def test_safeguarding_words_show_how_to_get_help(page: Any, axe: Any) -> None:
    page.goto("/report/other")
    answer(page, axe, {"How can we help?": "My neighbour's child is being abused, please help"})
    answer(page, axe, {})
    answer(page, axe, {}, button="Send")
    accessible(page, axe)
    assert page.locator("h1").inner_text() == "Get help now"
    assert "999" in page.content() and "Samaritans" in page.locator("#reply").inner_text()


def test_non_partner_council_is_signposted(page: Any, axe: Any) -> None:
    page.goto("/report/bin_day")
    answer(page, axe, {"What is your postcode?": "HR1 1AA"})
    accessible(page, axe)
    text = page.locator("main").inner_text()
    assert "Herefordshire Council" in text and "01632 960008" in text


def test_track_and_reply(page: Any, axe: Any) -> None:
    page.goto("/report/other")
    answer(page, axe, {"How can we help?": "Our neighbour plays loud music every night", "postcode": "WR1 1AB"})
    answer(page, axe, {"Email address": "quiet@example.org"})
    answer(page, axe, {}, button="Send")
    ref = reference(page)
    page.context.clear_cookies()
    page.goto("/track")
    answer(page, axe, {"Case reference": ref, "Email address or phone number": "someone@example.org"},
           button="Find my case")
    accessible(page, axe)
    assert "We could not find a case" in page.locator(".govuk-error-summary").inner_text()
    answer(page, axe, {"Case reference": ref, "Email address or phone number": "quiet@example.org"},
           button="Find my case")
    accessible(page, axe)
    assert ref in page.locator("h1").inner_text()
    answer(page, axe, {"Add information or reply": "It starts at 11pm"}, button="Send")
    accessible(page, axe)
    assert "It starts at 11pm" in page.locator("main").inner_text()
