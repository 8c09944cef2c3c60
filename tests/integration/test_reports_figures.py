"""Every report figure, checked against the hand-computed dataset in fixtures/report_data.py.

Runs on SQLite and PostgreSQL (the `app` fixture). WEEK = Mon 2 to Sun 8 November 2026,
MONTH = November 2026. Costs are in pence.
"""
import pytest

from fixtures.report_data import NOW, at, insert_contacts
from hub.auth.access import Scope
from hub.reports import queries, service

ADMIN = Scope(frozenset(), all_councils=True)
MHDC = Scope(frozenset({"MHDC"}))
WEEK = {"from": "2026-11-02", "to": "2026-11-08", "period": "week"}
MONTH = {"from": "2026-11-01", "to": "2026-11-30", "period": "month"}


def filters(window, scope=ADMIN, now=NOW, **extra):
    return service.filters_from({**window, **extra}, scope, now=now)


def pick(rows, *keys):
    return [tuple(r[k] for k in keys) for r in rows]


def test_channel_shift_rows_for_a_week(report_data):
    rows = queries.channel_figures(filters(WEEK), [("period", "authority", "channel")])[0]
    assert pick(rows, "period", "authority", "channel", "contacts", "self_served", "assisted", "cost_pence") == [
        ("2026-11-02", "HUB", "email", 1, 0, 1, 283),
        ("2026-11-02", "MHDC", "email", 1, 0, 1, 283),
        ("2026-11-02", "MHDC", "face_to_face", 1, 0, 1, 862),
        ("2026-11-02", "MHDC", "phone", 1, 0, 1, 283),
        ("2026-11-02", "MHDC", "sms", 1, 0, 1, 283),
        ("2026-11-02", "MHDC", "web", 5, 3, 2, 611),
        ("2026-11-02", "WCC", "email", 1, 0, 1, 283),
        ("2026-11-02", "WCC", "phone", 1, 0, 1, 283),
        ("2026-11-02", "WCC", "web", 1, 1, 0, 15),
        ("2026-11-02", "WCITY", "phone", 1, 0, 1, 283),
        ("2026-11-02", "WCITY", "web", 1, 1, 0, 15),
        ("2026-11-02", "WYCH", "web", 1, 0, 1, 283),
    ]


def test_channel_shift_totals_week_and_month(report_data):
    week = queries.channel_figures(filters(WEEK), [()])[0][0]
    assert pick([week], "contacts", "self_served", "assisted", "digital", "cost_pence", "baseline_pence",
                "saved_pence") == [(16, 5, 11, 12, 3767, 16 * 283, 761)]
    assert week["digital_share"] == pytest.approx(12 / 16)
    month = queries.channel_figures(filters(MONTH), [("period",)])[0]
    assert pick(month, "period", "contacts", "self_served", "digital", "cost_pence", "baseline_pence", "saved_pence") == [
        ("2026-11-01", 23, 9, 17, 4661, 23 * 283, 23 * 283 - 4661)]
    assert month[0]["digital_share"] == pytest.approx(17 / 23)


def test_cost_per_contact_by_channel(report_data):
    rows = queries.channel_figures(filters(WEEK), [("channel",)])[0]
    assert pick(rows, "channel", "contacts", "self_served", "cost_pence") == [
        ("email", 3, 0, 849), ("face_to_face", 1, 0, 862), ("phone", 3, 0, 849), ("sms", 1, 0, 283), ("web", 8, 5, 924)]
    per_contact = {r["channel"]: r["cost_per_contact_pence"] for r in rows}
    assert per_contact["web"] == pytest.approx(115.5) and per_contact["email"] == pytest.approx(283)
    assert {r["channel"]: r["self_served_share"] for r in rows}["web"] == pytest.approx(5 / 8)


def test_a_month_by_week_buckets_on_mondays(report_data):
    rows = queries.channel_figures(filters(MONTH, period="week"), [("period",)])[0]
    assert pick(rows, "period", "contacts") == [("2026-11-02", 16), ("2026-11-09", 4), ("2026-11-16", 1),
                                                ("2026-11-23", 1), ("2026-11-30", 1)]


def test_manager_figures_are_only_their_council(report_data):
    week = queries.channel_figures(filters(WEEK, MHDC), [("authority",)])[0]
    assert pick(week, "authority", "contacts", "self_served", "cost_pence", "baseline_pence", "saved_pence") == [
        ("MHDC", 9, 3, 2322, 9 * 283, 225)]
    month = queries.channel_figures(filters(MONTH, MHDC), [("authority",)])[0]
    assert pick(month, "authority", "contacts", "self_served", "assisted", "digital", "cost_pence") == [
        ("MHDC", 15, 7, 8, 11, 2933)]


def test_workflow_completion_and_hand_overs(report_data):
    week = queries.service_figures(filters(WEEK, MHDC))["workflows"]
    assert pick(week, "service", "workflow", "contacts", "self_served", "escalated", "urgent", "needs_info",
                "handed_over") == [("waste.bin_day", "bin_day", 4, 3, 0, 0, 1, 1),
                                   ("waste.missed_bin", "missed_bin", 3, 0, 2, 1, 0, 3)]
    assert [r["completion_rate"] for r in week] == pytest.approx([0.75, 0.0])
    month = queries.service_figures(filters(MONTH, MHDC))["workflows"]
    assert [r["completion_rate"] for r in month] == pytest.approx([6 / 7, 1 / 4])
    admin = queries.service_figures(filters(WEEK))["workflows"]
    assert pick(admin, "service", "workflow", "contacts", "self_served") == [
        ("roads.pothole", "street_report", 1, 1), ("roads.street_light", "street_report", 1, 0),
        ("waste.bin_day", "bin_day", 5, 4), ("waste.missed_bin", "missed_bin", 3, 0)]


def test_hand_over_reasons(report_data):
    assert pick(queries.handover_reasons(filters(MONTH)), "workflow", "reason", "count") == [
        ("missed_bin", "No collection record for this address", 2), ("missed_bin", "Reported as a hazard", 1),
        ("street_report", "Reported as dangerous", 1)]
    assert pick(queries.handover_reasons(filters(MONTH, MHDC)), "workflow", "count") == [("missed_bin", 2), ("missed_bin", 1)]


@pytest.mark.parametrize("window,scope,expected", [
    (WEEK, MHDC, (4, 3, 1)), (MONTH, MHDC, (6, 4, 2)), (WEEK, ADMIN, (8, 6, 2)), (MONTH, ADMIN, (11, 8, 3))])
def test_sla_compliance(report_data, window, scope, expected):
    row = queries.service_figures(filters(window, scope))["total"]
    assert (row["with_sla"], row["met"], row["breached"]) == expected
    assert row["compliance"] == pytest.approx(expected[1] / (expected[1] + expected[2]))


def test_sla_not_yet_due_is_pending_not_breached(report_data):
    row = queries.service_figures(filters(MONTH, MHDC, now=at("2026-12-01 11:00")))["total"]
    assert (row["with_sla"], row["met"], row["breached"]) == (6, 4, 1)
    assert row["compliance"] == pytest.approx(0.8)


@pytest.mark.parametrize("window,scope,first,resolution", [
    (WEEK, MHDC, (4.0, 3), (26.5, 2)), (MONTH, MHDC, (2.5, 4), (4.0, 3)),
    (WEEK, ADMIN, (3.0, 6), (48.0, 4)), (MONTH, ADMIN, (3.0, 8), (48.0, 5))])
def test_median_hours_to_first_response_and_resolution(report_data, window, scope, first, resolution):
    f = filters(window, scope)
    times = queries.medians(f, [("period",), ()])
    ((fr,), _) = times["first_response"]
    (_, (res,)) = times["resolution"]
    assert (fr["median"], fr["n"]) == (pytest.approx(first[0]), first[1])
    assert (res["median"], res["n"]) == (pytest.approx(resolution[0]), resolution[1])


@pytest.mark.parametrize("window,scope,expected", [
    (WEEK, MHDC, (9, 4)), (MONTH, MHDC, (15, 7)), (WEEK, ADMIN, (16, 5)), (MONTH, ADMIN, (23, 8))])
def test_repeat_contacts_within_seven_days(report_data, window, scope, expected):
    row = queries.service_figures(filters(window, scope))["total"]
    assert (row["contacts"], row["repeats"]) == expected
    assert row["repeat_rate"] == pytest.approx(expected[1] / expected[0])


def test_repeat_boundary_is_seven_days_inclusive(app):
    insert_contacts({
        1: ("MHDC", "web", "waste.bin_day", None, "escalated", False, "2026-11-02 09:00", None, None, None, "A"),
        2: ("MHDC", "web", "waste.bin_day", None, "escalated", False, "2026-11-09 09:00", None, None, None, "A"),
        3: ("MHDC", "web", "waste.missed_bin", None, "escalated", False, "2026-11-02 09:00", None, None, None, "B"),
        4: ("MHDC", "web", "waste.missed_bin", None, "escalated", False, "2026-11-09 09:00:01", None, None, None, "B"),
    })
    total = queries.service_figures(filters({"from": "2026-11-09", "to": "2026-11-09"}))["total"]
    assert (total["contacts"], total["repeats"]) == (2, 1)


def test_misroutes(report_data):
    assert pick(queries.misroutes(filters(WEEK)), "from_authority", "to_authority", "transfers") == [
        ("MHDC", "WCC", 1), ("MHDC", "WCITY", 1), ("WCITY", "MHDC", 1)]
    assert pick(queries.misroutes(filters(WEEK, MHDC)), "from_authority", "to_authority") == [("WCITY", "MHDC")]


def test_cost_share(report_data):
    rows, totals = queries.cost_share(filters(WEEK), "HUB")
    assert totals == {"contacts": 16, "cost_pence": 3767}
    # The Wychavon contact (signposted: not a partner) was handled by the shared centre: HUB.
    assert pick(rows, "authority", "contacts", "cost_pence") == [
        ("HUB", 2, 566), ("MHDC", 9, 2322), ("WCC", 3, 581), ("WCITY", 2, 298)]
    assert [r["contact_share"] for r in rows] == pytest.approx([2 / 16, 9 / 16, 3 / 16, 2 / 16])
    assert [r["cost_share"] for r in rows] == pytest.approx([566 / 3767, 2322 / 3767, 581 / 3767, 298 / 3767])
    assert sum(r["cost_share"] for r in rows) == pytest.approx(1.0)
    mine, totals = queries.cost_share(filters(MONTH, MHDC), "HUB")
    assert pick(mine, "authority", "contacts", "cost_pence") == [("MHDC", 15, 2933)]
    assert mine[0]["contact_share"] == pytest.approx(15 / 23) and mine[0]["cost_share"] == pytest.approx(2933 / 4661)
    assert totals == {"contacts": 23, "cost_pence": 4661}


def test_cost_share_ignores_service_and_channel_filters(report_data):
    """With them, the partnership totals would give a manager another council's figures."""
    plain = queries.cost_share(filters(WEEK, MHDC), "HUB")
    narrowed = queries.cost_share(filters(WEEK, MHDC, service="roads.pothole", channel="phone"), "HUB")
    assert narrowed == plain


def test_filters_narrow_every_figure(report_data):
    f = filters(MONTH, service="waste.missed_bin", channel="phone")
    assert pick(queries.channel_figures(f, [("authority",)])[0], "authority", "contacts") == [("MHDC", 2), ("WCITY", 1)]
    f = filters(MONTH, authority="WCC")
    assert queries.channel_figures(f, [()])[0][0]["contacts"] == 4


def test_periods_follow_london_local_dates_across_the_clock_change(app):
    insert_contacts({
        1: ("MHDC", "web", None, None, None, False, "2026-09-30 22:30", None, None, None, None),  # 23:30 BST, 30 Sep
        2: ("MHDC", "web", None, None, None, False, "2026-09-30 23:30", None, None, None, None),  # 00:30 BST, Thu 1 Oct
        3: ("MHDC", "web", None, None, None, False, "2026-10-18 23:30", None, None, None, None),  # 00:30 BST, Mon 19 Oct
        4: ("MHDC", "web", None, None, None, False, "2026-10-25 00:30", None, None, None, None),  # 01:30 BST, Sun 25 Oct
        5: ("MHDC", "web", None, None, None, False, "2026-10-25 23:30", None, None, None, None),  # 23:30 GMT, Sun 25 Oct
        6: ("MHDC", "web", None, None, None, False, "2026-10-31 23:30", None, None, None, None),  # 23:30 GMT, Sat 31 Oct
    })
    october = {"from": "2026-10-01", "to": "2026-10-31"}
    weeks = queries.channel_figures(filters(october), [("period",)])[0]
    assert pick(weeks, "period", "contacts") == [("2026-09-28", 1), ("2026-10-19", 3), ("2026-10-26", 1)]
    months = queries.channel_figures(filters({**october, "period": "month"}), [("period",)])[0]
    assert pick(months, "period", "contacts") == [("2026-10-01", 5)]


def test_report_builders_assemble_without_error(report_data):
    for build in (service.channel_shift, service.service_performance, service.cost_share):
        assert build(filters(WEEK))
        assert build(filters(MONTH, MHDC))
