"""What a report is about: a window of local dates, a period size, and optional narrowing."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from hub.auth.access import Scope


@dataclass(frozen=True)
class Filters:
    """Validated report parameters. `first`/`last` are local dates, both included."""

    first: dt.date
    last: dt.date
    period: str
    tz: ZoneInfo
    scope: Scope
    authority: str | None = None
    service: str | None = None
    channel: str | None = None
    # "Now" for SLA: a case still unanswered before its deadline is pending, not breached.
    now: dt.datetime | None = None

    @property
    def start(self) -> dt.datetime:
        """Local midnight starting `first`, in UTC (compared with stored UTC values)."""
        return dt.datetime.combine(self.first, dt.time(), self.tz).astimezone(dt.timezone.utc)

    @property
    def end(self) -> dt.datetime:
        """Local midnight after `last`, in UTC (exclusive)."""
        return dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time(), self.tz).astimezone(dt.timezone.utc)

    def query_args(self) -> dict[str, str]:
        """The parameters as they appear in a report URL (for links and CSV downloads)."""
        args = {"from": self.first.isoformat(), "to": self.last.isoformat(), "period": self.period}
        for key in ("authority", "service", "channel"):
            if getattr(self, key):
                args[key] = getattr(self, key)
        return args
