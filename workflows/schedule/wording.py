"""Plain-English dates, times and months (locale-independent, unlike strftime's %A/%B)."""

from __future__ import annotations

from datetime import date, time

from workflows.schedule.rules import GARDEN, GENERAL, RECYCLING

_BIN_LABELS = {GENERAL: "general waste", RECYCLING: "recycling", GARDEN: "garden waste"}
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)



def _fmt_day(day: date) -> str:
    return f"{_DAY_NAMES[day.weekday()]} {day.day} {_MONTH_NAMES[day.month - 1]}"


def _fmt_time(value: time) -> str:
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    if value.hour == 12 and value.minute == 0:
        return "midday"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def _fmt_months(months: frozenset[int]) -> str:
    # Start after a gap so a winter break reads "December, January and February".
    ordered = sorted(months)
    starts = [m for m in ordered if (m - 2) % 12 + 1 not in months]
    if starts:
        first = starts[0]
        ordered = sorted(months, key=lambda m: (m - first) % 12)
    names = [_MONTH_NAMES[m - 1] for m in ordered]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]
