"""Working-time arithmetic for SLAs, in the partnership's own time zone and hours.

An SLA of 16 working hours taken at 16:00 on a Friday falls due at 15:00 the next
Tuesday if Monday is a bank holiday: councils count only the hours their staff work.
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hub.partnership.schema import PartnershipDoc

_DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


class WorkingCalendar:
    def __init__(self, doc: PartnershipDoc):
        wh = doc.partnership.working_hours
        self.tz = ZoneInfo(doc.partnership.timezone)
        self.days = frozenset(_DAYS[d] for d in wh.days)
        self.start, self.end = wh.start, wh.end
        self.holidays = frozenset(doc.bank_holidays)

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() in self.days and day not in self.holidays

    def add_working_hours(self, start: dt.datetime, hours: float) -> dt.datetime:
        """The moment `hours` working hours after `start` (aware), returned in UTC."""
        remaining = dt.timedelta(hours=hours)
        local = start.astimezone(self.tz)
        day = local.date()
        cursor = local.replace(tzinfo=None)
        for _ in range(3660):  # ten years of days: a safety bound, never reached in practice
            if self.is_working_day(day):
                open_at = dt.datetime.combine(day, self.start)
                close_at = dt.datetime.combine(day, self.end)
                begin = max(cursor, open_at)
                if begin < close_at:
                    available = close_at - begin
                    if remaining <= available:
                        due = (begin + remaining).replace(tzinfo=self.tz)
                        return due.astimezone(dt.timezone.utc)
                    remaining -= available
            day += dt.timedelta(days=1)
            cursor = dt.datetime.combine(day, dt.time(0))
        raise ValueError("no working hours configured")

    def working_hours_between(self, start: dt.datetime, end: dt.datetime) -> float:
        """Working hours elapsed from start to end (0 if end is earlier)."""
        if end <= start:
            return 0.0
        a, b = start.astimezone(self.tz).replace(tzinfo=None), end.astimezone(self.tz).replace(tzinfo=None)
        total = dt.timedelta()
        day = a.date()
        while day <= b.date():
            if self.is_working_day(day):
                lo = max(a, dt.datetime.combine(day, self.start))
                hi = min(b, dt.datetime.combine(day, self.end))
                if hi > lo:
                    total += hi - lo
            day += dt.timedelta(days=1)
        return total.total_seconds() / 3600
