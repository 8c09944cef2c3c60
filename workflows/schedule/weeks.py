"""Week letters (A/B from the anchor Monday) and working days (no weekends, no bank holidays)."""

from __future__ import annotations

from datetime import date, timedelta

from workflows.schedule.rules import _ONE_DAY, WasteRules


def week_start(day: date) -> date:
    """The Monday of the week containing ``day`` (weeks run Monday-Sunday)."""
    return day - timedelta(days=day.weekday())


def week_letter(rules: WasteRules, day: date) -> str:
    """"A" or "B" for the week containing ``day``.

    Council rule: letters alternate every week counting from the anchor
    Monday (week A).  Floor division makes weeks before the anchor
    alternate too (the week before the anchor is B).
    """
    weeks = (week_start(day) - rules.anchor).days // 7
    return "A" if weeks % 2 == 0 else "B"


def is_working_day(rules: WasteRules, day: date) -> bool:
    """True on the council's working days: a working weekday that is not a bank holiday."""
    return day.weekday() in rules.working_days and day not in rules.bank_holidays


def add_working_days(rules: WasteRules, day: date, n: int) -> date:
    """The date ``n`` working days after ``day`` (before it when ``n`` < 0).

    Council rule: deadlines "in working days" skip weekends and bank
    holidays.  ``day`` itself is not counted, and need not be a working day
    (a collection moved to a Saturday counts from the Monday after).
    ``n == 0`` returns ``day`` unchanged.
    """
    step = _ONE_DAY if n >= 0 else -_ONE_DAY
    remaining = abs(n)
    current = day
    while remaining:
        current += step
        if is_working_day(rules, current):
            remaining -= 1
    return current

