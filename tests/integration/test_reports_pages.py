"""Report pages and CSV over HTTP: who may see what, and bad parameters answered with 400."""
import csv
import io
import re

import pytest

WEEK = "from=2026-11-02&to=2026-11-08"
MONTH = "from=2026-11-01&to=2026-11-30&period=month"
PAGES = ("/reports/", "/reports/service-performance", "/reports/cost-share")
CSVS = ("/reports/channel-shift.csv", "/reports/service-performance.csv", "/reports/cost-share.csv")


def rows(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


@pytest.fixture
def manager(client, make_user, sign_in):
    sign_in(client, make_user("mo@example.org", "manager", ("MHDC",)))
    return client


@pytest.fixture
def admin(client, make_user, sign_in):
    sign_in(client, make_user("ada@example.org", "admin", ("HUB",)))
    return client


def test_channel_shift_csv_for_a_week(admin, report_data):
    got = rows(admin.get(f"/reports/channel-shift.csv?{WEEK}"))
    assert list(got[0])[:7] == ["period", "authority", "channel", "contacts", "self_served", "assisted", "cost"]
    mhdc_web = [r for r in got if r["authority"] == "MHDC" and r["channel"] == "web"]
    assert mhdc_web == [{"period": "2026-11-02", "authority": "MHDC", "channel": "web", "contacts": "5",
                         "self_served": "3", "assisted": "2", "cost": "6.11", "all_phone_cost": "14.15",
                         "saved": "8.04"}]
    assert len(got) == 12
    assert sum(int(r["contacts"]) for r in got) == 16
    assert all(int(r["contacts"]) == int(r["self_served"]) + int(r["assisted"]) for r in got)
    assert sum(round(float(r["cost"]) * 100) for r in got) == 3767


def test_channel_shift_csv_for_a_month(admin, report_data):
    got = rows(admin.get(f"/reports/channel-shift.csv?{MONTH}"))
    assert {r["period"] for r in got} == {"2026-11-01"}
    assert sum(int(r["contacts"]) for r in got) == 23
    assert sum(round(float(r["cost"]) * 100) for r in got) == 4661
    by_week = rows(admin.get("/reports/channel-shift.csv?from=2026-11-01&to=2026-11-30&period=week"))
    assert sorted({r["period"] for r in by_week}) == ["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30"]


def test_pages_show_the_figures_with_charts_and_tables(admin, report_data):
    page = admin.get(f"/reports/?{WEEK}").get_data(as_text=True)
    assert 'id="total-contacts">16<' in page
    assert "£37.67" in page and "£7.61" in page and "75.0%" in page
    assert page.count('role="img"') == 3 and "<title id=\"volume-title\">Contacts by channel</title>" in page
    perf = admin.get(f"/reports/service-performance?{WEEK}").get_data(as_text=True)
    assert "No collection record for this address" in perf and "<svg" in perf
    share = admin.get(f"/reports/cost-share?{WEEK}").get_data(as_text=True)
    assert "Malvern Hills District Council (MHDC)" in share and "56.2%" in share
    for html in (page, perf, share):  # the CSP forbids inline styles: they would be ignored
        assert "<style" not in html and " style=" not in html


def test_manager_sees_only_their_council_in_pages_and_csv(manager, report_data):
    for query in (WEEK, MONTH):
        got = rows(manager.get(f"/reports/channel-shift.csv?{query}"))
        assert {r["authority"] for r in got} == {"MHDC"}
        shares = rows(manager.get(f"/reports/cost-share.csv?{query}"))
        assert [r["authority"] for r in shares] == ["MHDC"]
    assert sum(int(r["contacts"]) for r in rows(manager.get(f"/reports/channel-shift.csv?{MONTH}"))) == 15
    page = manager.get(f"/reports/?{WEEK}").get_data(as_text=True)
    assert 'id="total-contacts">9<' in page
    assert "Worcestershire County Council" not in page and 'value="WCC"' not in page
    share = manager.get(f"/reports/cost-share?{WEEK}").get_data(as_text=True)
    assert "Worcester City Council" not in share and "Worcestershire County Council" not in share


@pytest.mark.parametrize("path", PAGES + CSVS)
def test_another_councils_figures_are_not_reachable_by_any_parameter(manager, report_data, path):
    for query in (f"{WEEK}&authority=WCC", f"{MONTH}&authority=WCITY", "authority=HUB"):
        response = manager.get(f"{path}?{query}")
        assert response.status_code == 404
        assert "2322" not in response.get_data(as_text=True)
    # Other parameters narrow within the manager's councils, never widen beyond them.
    got = rows(manager.get(f"/reports/channel-shift.csv?{MONTH}&service=roads.pothole"))
    assert got == []


def test_admin_sees_every_council(admin, report_data):
    got = rows(admin.get(f"/reports/channel-shift.csv?{WEEK}"))
    assert {r["authority"] for r in got} == {"HUB", "MHDC", "WCC", "WCITY", "WYCH"}
    wcc = rows(admin.get(f"/reports/channel-shift.csv?{WEEK}&authority=WCC"))
    assert {r["authority"] for r in wcc} == {"WCC"} and sum(int(r["contacts"]) for r in wcc) == 3


@pytest.mark.parametrize("query,message", [
    ("from=2026-13-01&to=2026-11-30", "'from' is not valid"),
    ("from=yesterday", "'from' is not valid"),
    ("from=2026-11-08&to=2026-11-02", "is after"),
    ("from=2020-01-01&to=2026-11-30", "longer than three years"),
    ("authority=NOWHERE", "unknown council"),
    ("service=nope", "unknown service"),
    ("channel=pigeon", "unknown channel"),
    ("period=fortnight", "'period' must be"),
    ("from=9999-12-30&to=9999-12-31", "between 2000-01-01 and 2099-12-31"),
    ("period=month&from=0001-01-01&to=0001-03-01", "between 2000-01-01 and 2099-12-31"),
])
def test_bad_parameters_get_a_clear_400(admin, report_data, query, message):
    for path in ("/reports/", "/reports/channel-shift.csv"):
        response = admin.get(f"{path}?{query}")
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)


def test_defaults_give_a_page_without_parameters(manager):
    assert manager.get("/reports/").status_code == 200
    assert manager.get("/reports/channel-shift.csv").status_code == 200


def test_advisers_are_refused_and_anonymous_users_sent_to_sign_in(client, make_user, sign_in, report_data):
    for path in PAGES + CSVS:
        response = client.get(path)
        assert response.status_code == 302 and "/adviser/sign-in" in response.headers["Location"]
    sign_in(client, make_user("ann@example.org", "adviser", ("MHDC",)))
    for path in PAGES + CSVS:
        assert client.get(path).status_code == 403


def test_every_svg_chart_is_labelled(admin, report_data):
    for path in PAGES:
        page = admin.get(f"{path}?{MONTH}").get_data(as_text=True)
        for svg in re.findall(r"<svg[^>]*>", page):
            assert 'role="img"' in svg and "aria-labelledby" in svg


def test_a_manager_can_sign_out_from_the_reports(manager, report_data):
    import re

    page = manager.get(f"/reports/?{WEEK}").get_data(as_text=True)
    form = re.search(r'<form method="post" action="(/[^"]*sign-out[^"]*)">\s*<input type="hidden" name="csrf_token" '
                     r'value="([^"]+)">', page)
    assert form is not None, "a sign-out form on every report page"
    assert manager.post(form.group(1), data={"csrf_token": form.group(2)}).status_code in (302, 303)
    assert manager.get(f"/reports/?{WEEK}").status_code in (302, 401)
