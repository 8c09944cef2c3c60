"""The staff screens held to the portal's bar: real staff sign in through the form in headless
Chromium (JavaScript off) and walk the adviser workspace, the reports and the user admin,
with axe-core on every page (no serious or critical violations allowed); and one adviser
journey done with the keyboard alone, focus visible at every stop.

Staff and cases are put straight into the live server's database once for this module. No
council here asks for a second factor, so the password alone signs in.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from fixtures.adviser import place_case
from fixtures.attachments import send_email_files
from fixtures.browser import accessible, press
from fixtures.report_data import CONTACTS, EVENTS, insert_contacts
from fixtures.staff import PASSWORD

pytestmark = pytest.mark.browser
REPORT_ARGS = "?from=2026-11-02&to=2026-11-29&period=week"
# A focus ring of our own: a solid, coloured outline at least 2px wide, or a drawn shadow. Chromium's
# default ring (`auto`, 1px, thin blue) does not count: it all but vanishes on the black workspace bar.
FOCUS_STYLE = """e => { const s = getComputedStyle(e);
  const ring = s.outlineStyle === 'solid' && parseFloat(s.outlineWidth) >= 2 && s.outlineColor !== 'rgba(0, 0, 0, 0)';
  return ring || s.boxShadow !== 'none'; }"""


@pytest.fixture(scope="module")
def staff(live_hub: Any) -> dict[str, Any]:
    """Three staff roles, a Worcester City queue (an urgent case, a breached one, one with a file),
    a Wyre Forest queue of one for the keyboard journey, and the report tests' contacts."""
    from hub.db import get_session
    from hub.users.service import add_user

    with live_hub.app.app_context():
        users = {role: add_user(f"{role}@a11y.example.org", PASSWORD, role, list(councils)).email
                 for role, councils in (("adviser", ("WCITY",)), ("manager", ("MHDC", "WCC", "WCITY", "HUB")),
                                        ("admin", ("HUB",)))}
        users["keyboard"] = add_user("keys@a11y.example.org", PASSWORD, "adviser", ["WYRE"]).email
        get_session().commit()
        place_case("WCITY", "waste.missed_bin", priority=0, body="Bin not emptied, blocking the pavement")
        late = place_case("WCITY", sla_in=dt.timedelta(hours=-30), email="late@example.org")
        send_email_files(late, [("photo.jpg", "image/jpeg", b"\xff\xd8\xff\xe0 not much of a photo")])
        place_case("WYRE", "council_tax.payment", email="keys@example.org", body="How do I pay by phone?")
        insert_contacts(CONTACTS, EVENTS)
        return {"users": users, "case": late.id, "reference": late.reference}


def sign_in(page: Any, email: str, password: str = PASSWORD) -> None:
    page.goto("/adviser/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    press(page, "Sign in")


def current_nav(page: Any, name: str) -> None:
    """The navigation marks the page the adviser is on, for screen readers too."""
    assert page.locator("nav [aria-current='page']").inner_text().strip() == name


def test_sign_in_and_its_errors(page: Any, axe: Any, staff: dict[str, Any]) -> None:
    page.goto("/adviser/sign-in")
    accessible(page, axe)
    press(page, "Sign in")
    accessible(page, axe)
    assert page.title().startswith("Error:")
    summary = page.locator(".error-summary")
    assert "Enter your email address" in summary.inner_text()
    target = summary.locator("a").first.get_attribute("href")
    assert page.locator(target).get_attribute("aria-invalid") == "true"
    sign_in(page, staff["users"]["adviser"], "not-the-password")
    accessible(page, axe)
    assert "not right" in page.locator(".error-summary").inner_text()
    sign_in(page, staff["users"]["adviser"])
    assert page.url.endswith("/adviser/")


def test_adviser_queue_case_search_and_logging_a_call(page: Any, axe: Any, staff: dict[str, Any]) -> None:
    sign_in(page, staff["users"]["adviser"])
    accessible(page, axe)
    current_nav(page, "Queue")
    assert page.locator("table.queue tbody tr").count() >= 2
    assert page.locator("tr.breached .tag.breach").count() >= 1
    page.goto(f"/adviser/cases/{staff['case']}")
    accessible(page, axe)
    assert page.get_by_role("link", name="photo.jpg").count() == 1
    assert page.get_by_label("Reply to the citizen", exact=False).count() == 1
    page.get_by_label("Find a case").fill(staff["reference"])
    press(page, "Search")
    accessible(page, axe)
    assert page.get_by_role("link", name=staff["reference"]).count() == 1
    page.goto("/adviser/assisted")
    accessible(page, axe)
    current_nav(page, "Log a call or visit")
    press(page, "Log the contact")
    accessible(page, axe)
    summary = page.locator(".error-summary")
    assert "Say what they needed" in summary.inner_text()
    for link in summary.locator("a").all():
        assert page.locator(link.get_attribute("href")).get_attribute("aria-invalid") == "true"


def test_reports_with_figures(page: Any, axe: Any, staff: dict[str, Any]) -> None:
    sign_in(page, staff["users"]["manager"])
    for path, title in (("/reports/", "Channel shift"), ("/reports/service-performance", "Service performance"),
                        ("/reports/cost-share", "Partnership cost share")):
        page.goto(path + REPORT_ARGS)
        accessible(page, axe)
        assert page.locator("h1").inner_text() == title
        current_nav(page, title)
        for chart in page.locator("svg[role='img']").all():  # every chart has its figures in a table
            assert chart.locator("title").first.text_content()
        assert page.locator("main table tbody tr").count() >= page.locator("svg[role='img']").count()
    assert page.locator("#cost-share tbody tr").count() >= 4


def test_admin_users_and_user_form(page: Any, axe: Any, staff: dict[str, Any]) -> None:
    sign_in(page, staff["users"]["admin"])
    page.goto("/adviser/admin/users")
    accessible(page, axe)
    current_nav(page, "Users")
    assert page.get_by_role("link", name=staff["users"]["keyboard"]).count() == 1
    page.get_by_role("link", name="Add a user").click()
    accessible(page, axe)
    page.get_by_label("Email", exact=False).first.fill("not an email")
    press(page, "Save")
    accessible(page, axe)
    summary = page.locator(".error-summary")
    assert summary.locator("a").count() >= 1
    for link in summary.locator("a").all():
        assert page.locator(link.get_attribute("href")).get_attribute("aria-invalid") == "true"
    page.goto("/adviser/admin/users")
    with page.expect_navigation():
        page.get_by_role("link", name=staff["users"]["adviser"]).click()
    accessible(page, axe)


def tab_to(page: Any, matches: str, limit: int = 40) -> Any:
    """Press Tab until the focused element matches the selector; each element passed on the way
    must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.locator(":focus")
        assert focused.count() == 1, "focus left the page"
        shown = focused.evaluate(FOCUS_STYLE)
        assert shown, f"no visible focus on {focused.evaluate('e => e.outerHTML.slice(0, 120)')}"
        if focused.evaluate(f"e => e.matches({matches!r})"):
            return focused
    raise AssertionError(f"{matches} not reached with Tab")


def test_take_the_next_case_and_reply_with_the_keyboard(page: Any, axe: Any, staff: dict[str, Any]) -> None:
    """Tab and Enter only, from the skip link: take the next case, type a reply and send it."""
    sign_in(page, staff["users"]["keyboard"])
    tab_to(page, "a.skip")
    tab_to(page, "nav a[aria-current='page']")
    tab_to(page, "form.take button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "How do I pay by phone?" in page.locator(".thread").inner_text()
    tab_to(page, "#reply-text")
    page.keyboard.type("You can pay by phone on 01632 960000, any day.")
    tab_to(page, "form[action$='/reply'] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    accessible(page, axe)
    assert "Reply recorded" in page.locator(".notice").inner_text()  # no provider in tests: logged
    assert "You can pay by phone" in page.locator(".thread").inner_text()
