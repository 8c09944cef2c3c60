"""Report periods, labels and money formatting (pure logic)."""
import datetime as dt

import pytest

from hub.reports.service import default_window, money, period_label, pounds
from hub.reports.sql import period_starts


def test_weeks_start_on_monday_and_cover_the_window():
    starts = period_starts(dt.date(2026, 11, 1), dt.date(2026, 11, 30), "week")
    assert starts[0] == dt.date(2026, 10, 26) and starts[-1] == dt.date(2026, 11, 30)
    assert all(day.weekday() == 0 for day in starts) and len(starts) == 6


def test_months_start_on_the_first_across_a_year_end():
    assert period_starts(dt.date(2026, 11, 15), dt.date(2027, 2, 1), "month") == [
        dt.date(2026, 11, 1), dt.date(2026, 12, 1), dt.date(2027, 1, 1), dt.date(2027, 2, 1)]


def test_unknown_period_is_refused():
    with pytest.raises(ValueError):
        period_starts(dt.date(2026, 11, 1), dt.date(2026, 11, 30), "fortnight")


def test_labels_and_money():
    assert period_label("2026-11-02", "week") == "w/c 2 Nov 2026"
    assert period_label("2026-11-01", "month") == "November 2026"
    assert (money(3767), money(5), money(-225), money(None)) == ("37.67", "0.05", "-2.25", "")
    assert (pounds(1298970), pounds(-17546)) == ("£12,989.70", "−£175.46")


def test_default_windows():
    assert default_window("week", dt.date(2026, 11, 29)) == (dt.date(2026, 9, 7), dt.date(2026, 11, 29))
    assert default_window("month", dt.date(2026, 11, 29)) == (dt.date(2026, 9, 1), dt.date(2026, 11, 29))
