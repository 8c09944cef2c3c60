"""The values the schedule works with: bin types, reasons, a round, the rules, a collection."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

GENERAL = "general"
RECYCLING = "recycling"
GARDEN = "garden"
BIN_TYPES: tuple[str, ...] = (GENERAL, RECYCLING, GARDEN)

# Reasons returned by check_missed_report.
OK = "ok"
TOO_EARLY = "too_early"
TOO_LATE = "too_late"
NOT_COLLECTED_THAT_WEEK = "not_collected_that_week"

#: Reports are accepted until the end of the last working day of the window;
#: the window's closing moment is reported as 23:59:59 on that day (any time
#: during that final second still counts as in time).
END_OF_DAY = time(23, 59, 59)

_ONE_DAY = timedelta(days=1)
_ONE_WEEK = timedelta(days=7)
_ONE_SECOND = timedelta(seconds=1)
# How far to look for a given bin type. Two years is far more than any real
# gap (the longest is garden waste's winter break) and keeps loops bounded.
_SEARCH_WEEKS = 106

_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)



@dataclass(frozen=True)
class Round:
    """One postcode sector's collection round.

    ``day`` is the normal collection weekday (0=Monday ... 4=Friday) and
    ``cycle`` is the week letter ("A" or "B") in which the sector's recycling
    is emptied; general waste goes in the other weeks.
    """

    day: int
    cycle: str

    def __post_init__(self) -> None:
        if not isinstance(self.day, int) or isinstance(self.day, bool) or not 0 <= self.day <= 6:
            raise ValueError(f"round day must be 0 (Monday) to 6 (Sunday), got {self.day!r}")
        if self.cycle not in ("A", "B"):
            raise ValueError(f"round cycle must be 'A' or 'B', got {self.cycle!r}")


@dataclass(frozen=True)
class WasteRules:
    """The partnership-wide collection rules (``waste_collection`` config).

    ``anchor`` is a Monday in week A.  ``crews_finish`` is the local time the
    crews finish on a collection day: before it, a bin not yet emptied is not
    "missed".  ``missed_window_working_days`` is how many working days after
    the collection day a missed bin may still be reported.  ``working_days``
    are weekdays (0=Monday) the council counts as working days (the
    partnership's working hours, Monday to Friday); bank holidays are never
    working days.  ``garden_off_months`` are months (1-12) with no garden
    waste collections.

    Set-valued fields accept any iterable and are stored as frozensets.
    """

    anchor: date
    crews_finish: time
    missed_window_working_days: int
    bank_holidays: frozenset[date]
    working_days: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    garden_off_months: frozenset[int] = frozenset({12, 1, 2})

    def __post_init__(self) -> None:
        # Normalise collections so callers may pass lists or sets.
        for name in ("bank_holidays", "working_days", "garden_off_months"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))
        if isinstance(self.anchor, datetime) or not isinstance(self.anchor, date):
            raise TypeError("anchor must be a date")
        if self.anchor.weekday() != 0:
            raise ValueError(f"anchor must be a Monday (week A), got {self.anchor:%A} {self.anchor}")
        if not isinstance(self.crews_finish, time):
            raise TypeError("crews_finish must be a time")
        if self.crews_finish.tzinfo is not None:
            raise ValueError("crews_finish must be a naive local time")
        if self.missed_window_working_days < 0:
            raise ValueError("missed_window_working_days must not be negative")
        if not self.working_days or not self.working_days <= set(range(7)):
            raise ValueError("working_days must be a non-empty set of weekdays 0-6")
        if not self.garden_off_months <= set(range(1, 13)):
            raise ValueError("garden_off_months must be months 1-12")
        for holiday in self.bank_holidays:
            if isinstance(holiday, datetime) or not isinstance(holiday, date):
                raise TypeError(f"bank holidays must be dates, got {holiday!r}")


@dataclass(frozen=True)
class Collection:
    """One collection for one round.

    ``date`` is the day the crew actually comes; ``scheduled`` is the round's
    normal day in that week; ``slipped`` says a bank holiday moved it.
    ``bins`` lists the bins emptied, e.g. ``("recycling", "garden")`` or
    ``("general",)``.  "garden" is listed for the round; only subscribers
    have a garden waste bin, which is for the caller to know.
    """

    date: date
    scheduled: date
    bins: tuple[str, ...]
    slipped: bool


@dataclass(frozen=True)
class MissedCheck:
    """The outcome of :func:`check_missed_report`.

    ``reason`` is one of ``"ok"``, ``"too_early"``, ``"too_late"`` or
    ``"not_collected_that_week"``.  ``collection`` is the collection the
    decision is about (the one being reported, or the one in which the bin
    was not due).  ``window_opens``/``window_closes`` are that collection's
    reporting window (``None`` when the bin was not due in it).
    ``message`` is plain English for the citizen.  ``next_collection`` is
    the next collection including the bin after the moment of the check.
    """

    ok: bool
    reason: str
    collection: Collection | None
    window_opens: datetime | None
    window_closes: datetime | None
    message: str
    next_collection: Collection | None = None

