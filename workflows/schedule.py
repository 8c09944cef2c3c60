"""Household waste collection schedule: pure rules, no I/O.

This module turns the partnership's ``waste_collection`` settings into bin
dates and decides whether a missed-bin report can be accepted.  It reads no
YAML, touches no database and knows nothing about Flask: callers build a
:class:`WasteRules` and a :class:`Round` from configuration and pass plain
``date``/``time``/``datetime`` values.

All times are *naive local wall-clock* times (the partnership's timezone,
Europe/London).  Crews finish at a wall-clock time whatever the season, so
convert an aware instant with ``zoneinfo`` before calling; aware datetimes are
refused rather than silently misread.

The council rules implemented here (from the partnership configuration):

* Week letters alternate A, B, A, ... counting in whole weeks from the anchor
  Monday, which is week A.  This works in both directions, so dates before
  the anchor have letters too.  It is deliberately *not* ISO-week parity:
  2026 has 53 ISO weeks, and parity would break at the turn of the year.
* Each postcode sector has a round: a collection weekday and a cycle letter.
  In weeks whose letter matches the cycle the recycling bin is emptied, with
  garden waste (subscribers only) except in the garden "off" months
  (December, January, February); in the other weeks the general waste bin.
* When a bank holiday falls on or before the collection day in the same week
  (Monday to Friday), that week's collection happens one day later.
* A missed bin can be reported from the time crews finish on the actual
  collection day until the end of the configured number of working days
  after it (working days exclude weekends and bank holidays).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import islice

__all__ = [
    "GENERAL",
    "RECYCLING",
    "GARDEN",
    "BIN_TYPES",
    "OK",
    "TOO_EARLY",
    "TOO_LATE",
    "NOT_COLLECTED_THAT_WEEK",
    "Round",
    "WasteRules",
    "Collection",
    "MissedCheck",
    "week_start",
    "week_letter",
    "collection_in_week",
    "next_collections",
    "next_collection_of",
    "last_collection_of",
    "missed_report_window",
    "check_missed_report",
    "add_working_days",
    "is_working_day",
]

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

_BIN_LABELS = {GENERAL: "general waste", RECYCLING: "recycling", GARDEN: "garden waste"}
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)


# --------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------


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


# --------------------------------------------------------------------------
# Weeks and working days
# --------------------------------------------------------------------------


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


# --------------------------------------------------------------------------
# Collections
# --------------------------------------------------------------------------


def collection_in_week(rules: WasteRules, rnd: Round, monday: date) -> Collection:
    """The round's collection in the week starting ``monday``.

    Council rules applied:

    * Bins: recycling in weeks whose letter equals the round's cycle,
      otherwise general waste.  Garden waste goes with recycling unless the
      month of the *actual* collection date is a garden "off" month: the
      crew that turns up is what matters to the resident, so a recycling
      collection scheduled for Monday 30 November but moved by a bank
      holiday to Tuesday 1 December takes no garden waste.
    * Bank holidays: if a bank holiday falls on any weekday from Monday up to
      and including the collection day, the collection moves exactly one
      day later, however many bank holidays that week has (Christmas week
      2026: Friday 1 January 2027 goes to Saturday 2 January, not Sunday).
      Holidays later in the week than the collection day do not move it.
    * One exception the configuration's wording does not cover: if that
      "one day later" is itself a bank holiday, the collection moves on to the
      next day that is not one, because crews do not collect on bank holidays
      (that is why collections move at all).  In 2026-2027 this happens twice:
      Thursday 31 December 2026 goes to Saturday 2 January 2027 (not New
      Year's Day), and Monday 27 December 2027 goes to Wednesday 29 December
      (not the Boxing Day substitute on the 28th).
    """
    if isinstance(monday, datetime) or not isinstance(monday, date):
        raise TypeError("monday must be a date")
    if monday.weekday() != 0:
        raise ValueError(f"collection_in_week needs a Monday, got {monday:%A} {monday}")
    scheduled = monday + timedelta(days=rnd.day)
    # Monday up to the collection day, and never beyond Friday.
    last_checked = min(rnd.day, 4)
    slipped = any(
        monday + timedelta(days=offset) in rules.bank_holidays
        for offset in range(last_checked + 1)
    )
    actual = scheduled
    if slipped:
        actual = scheduled + _ONE_DAY
        while actual in rules.bank_holidays:
            actual += _ONE_DAY
    if week_letter(rules, monday) == rnd.cycle:
        bins: tuple[str, ...] = (RECYCLING,)
        if actual.month not in rules.garden_off_months:
            bins += (GARDEN,)
    else:
        bins = (GENERAL,)
    return Collection(date=actual, scheduled=scheduled, bins=bins, slipped=slipped)


def _forward(rules: WasteRules, rnd: Round, monday: date) -> Iterator[Collection]:
    while True:
        yield collection_in_week(rules, rnd, monday)
        monday += _ONE_WEEK


def _backward(rules: WasteRules, rnd: Round, monday: date) -> Iterator[Collection]:
    while True:
        yield collection_in_week(rules, rnd, monday)
        monday -= _ONE_WEEK


def _is_upcoming(rules: WasteRules, collection: Collection, today: date, now_local: time | None) -> bool:
    if collection.date > today:
        return True
    if collection.date == today:
        return now_local is None or now_local < rules.crews_finish
    return False


def _check_bin(bin_type: str) -> None:
    if bin_type not in BIN_TYPES:
        raise ValueError(f"unknown bin type {bin_type!r}; expected one of {', '.join(BIN_TYPES)}")


def _check_now(now_local: time | None) -> None:
    if now_local is not None and now_local.tzinfo is not None:
        raise ValueError("now_local must be a naive local time")


def next_collections(
    rules: WasteRules,
    rnd: Round,
    today: date,
    count: int = 2,
    *,
    now_local: time | None = None,
) -> list[Collection]:
    """The next ``count`` collections on or after ``today``, earliest first.

    Council rule: a collection today is still "upcoming" until the crews
    finish, so a resident asking at 4pm on collection day is told today, and
    one asking at 5pm is told next week.  Pass ``now_local=None`` to count
    today's collection regardless of the time.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    _check_now(now_local)
    found: list[Collection] = []
    if count == 0:
        return found
    # Start a week early in case a bank holiday pushed last week's collection
    # into this week (it cannot under real data, but it costs nothing).
    for collection in _forward(rules, rnd, week_start(today) - _ONE_WEEK):
        if _is_upcoming(rules, collection, today, now_local):
            found.append(collection)
            if len(found) == count:
                break
    return found


def next_collection_of(
    rules: WasteRules,
    rnd: Round,
    bin_type: str,
    today: date,
    *,
    now_local: time | None = None,
) -> Collection:
    """The next collection that empties ``bin_type``, on or after ``today``.

    Same "upcoming" rule as :func:`next_collections`.  Garden waste asked
    about in winter gets the first collection after the garden break.
    Raises ``ValueError`` for an unknown bin type, or if no such collection
    exists within two years (only possible with a garden break of all year).
    """
    _check_bin(bin_type)
    _check_now(now_local)
    weeks = _forward(rules, rnd, week_start(today) - _ONE_WEEK)
    for collection in islice(weeks, _SEARCH_WEEKS + 1):
        if bin_type in collection.bins and _is_upcoming(rules, collection, today, now_local):
            return collection
    raise ValueError(f"no {bin_type} collection within {_SEARCH_WEEKS} weeks of {today}")


def last_collection_of(
    rules: WasteRules, rnd: Round, bin_type: str, on_or_before: date
) -> Collection | None:
    """The latest collection emptying ``bin_type`` whose actual date is on or
    before ``on_or_before`` (whatever the time of day), or ``None`` if there
    was none in the previous two years.
    """
    _check_bin(bin_type)
    for collection in islice(_backward(rules, rnd, week_start(on_or_before)), _SEARCH_WEEKS + 1):
        if collection.date <= on_or_before and bin_type in collection.bins:
            return collection
    return None


def _latest_collection(rules: WasteRules, rnd: Round, on_or_before: date) -> Collection:
    for collection in _backward(rules, rnd, week_start(on_or_before)):
        if collection.date <= on_or_before:
            return collection
    raise AssertionError("unreachable")  # pragma: no cover - the generator is infinite


# --------------------------------------------------------------------------
# Missed bins
# --------------------------------------------------------------------------


def missed_report_window(rules: WasteRules, collection: Collection) -> tuple[datetime, datetime]:
    """When a missed-bin report for ``collection`` is accepted (local times).

    Council rule: a bin is not "missed" until the crews have finished on the
    actual collection day, so the window opens at ``crews_finish`` that day.
    It stays open to the end of the ``missed_window_working_days``-th working
    day after the collection day (weekends and bank holidays do not count).
    "End of day" is chosen over "until crews finish" so that a resident can
    report on the evening of the last day; the closing moment is returned as
    23:59:59 on that day and the whole of that last second is in time.
    """
    opens = datetime.combine(collection.date, rules.crews_finish)
    last_day = add_working_days(rules, collection.date, rules.missed_window_working_days)
    return opens, datetime.combine(last_day, END_OF_DAY)


def _in_window(at: datetime, opens: datetime, closes: datetime) -> bool:
    return opens <= at < closes + _ONE_SECOND


def check_missed_report(
    rules: WasteRules, rnd: Round, bin_type: str, at_local: datetime
) -> MissedCheck:
    """Can a report that ``bin_type`` was missed be accepted at ``at_local``?

    Council rule: reports are accepted only inside the reporting window of a
    collection that included that bin (see :func:`missed_report_window`).
    Otherwise the resident is told why, in plain English:

    * ``too_early``: the bin's collection this week has not finished yet
      (crews still out today, or the collection was moved by a bank holiday
      to a later day); the message says when they can report.
    * ``not_collected_that_week``: the bin is not in the collection being
      asked about (e.g. general waste in a recycling week, or garden waste in
      the winter break); the message gives the bin's next date.  Once the
      round's normal day of the week has come, "the collection being asked
      about" is this week's, even if a bank holiday moved it to later.
    * ``too_late``: the window for the bin's last collection has closed (and
      it was in the latest collection); the message says when the window
      closed and gives the bin's next date.

    ``at_local`` must be a naive local datetime.
    """
    _check_bin(bin_type)
    if not isinstance(at_local, datetime):
        raise TypeError("at_local must be a datetime")
    if at_local.tzinfo is not None:
        raise ValueError("at_local must be a naive local datetime (convert to Europe/London first)")
    today = at_local.date()
    label = _BIN_LABELS[bin_type]
    days = rules.missed_window_working_days

    # 1. Inside the window of a collection of this bin?  Windows end in date
    #    order, so stop at the first one that has already closed.
    candidate = last_collection_of(rules, rnd, bin_type, today)
    while candidate is not None:
        opens, closes = missed_report_window(rules, candidate)
        if at_local >= closes + _ONE_SECOND:
            break
        if at_local >= opens:
            return MissedCheck(
                ok=True,
                reason=OK,
                collection=candidate,
                window_opens=opens,
                window_closes=closes,
                message=(
                    f"Your {label} bin was due to be emptied on {_fmt_day(candidate.date)}. "
                    f"We can take your report of a missed collection "
                    f"(reports are open until the end of {_fmt_day(closes.date())})."
                ),
                next_collection=next_collection_of(
                    rules, rnd, bin_type, today, now_local=at_local.time()
                ),
            )
        candidate = last_collection_of(rules, rnd, bin_type, candidate.date - _ONE_DAY)

    upcoming = next_collection_of(rules, rnd, bin_type, today, now_local=at_local.time())

    # 2. This week's collection is due (its normal day has come) but has not
    #    finished yet: today before the crews finish, or moved to a later day.
    current = collection_in_week(rules, rnd, week_start(today))
    current_opens = datetime.combine(current.date, rules.crews_finish)
    if current.scheduled <= today and at_local < current_opens:
        if bin_type in current.bins:
            opens, closes = missed_report_window(rules, current)
            return MissedCheck(
                ok=False,
                reason=TOO_EARLY,
                collection=current,
                window_opens=opens,
                window_closes=closes,
                message=_too_early_message(rules, current, label, today, closes),
                next_collection=upcoming,
            )
        return _not_collected(rules, current, bin_type, at_local, upcoming)

    # 3. Otherwise judge by the latest collection that has happened.
    latest = _latest_collection(rules, rnd, today)
    if bin_type not in latest.bins:
        return _not_collected(rules, latest, bin_type, at_local, upcoming)
    opens, closes = missed_report_window(rules, latest)
    return MissedCheck(
        ok=False,
        reason=TOO_LATE,
        collection=latest,
        window_opens=opens,
        window_closes=closes,
        message=(
            f"Missed collections must be reported within {days} working "
            f"day{'s' if days != 1 else ''} of collection day. Your {label} bin was due on "
            f"{_fmt_day(latest.date)} and reporting closed at the end of "
            f"{_fmt_day(closes.date())}. Your next {label} collection is on "
            f"{_fmt_day(upcoming.date)}. If your bin is still not emptied then, please report "
            f"it after {_fmt_time(rules.crews_finish)} that day."
        ),
        next_collection=upcoming,
    )


def _too_early_message(
    rules: WasteRules, collection: Collection, label: str, today: date, closes: datetime
) -> str:
    finish = _fmt_time(rules.crews_finish)
    until = f"until the end of {_fmt_day(closes.date())}"
    if collection.date == today:
        return (
            f"Crews are still collecting until {finish} today ({_fmt_day(today)}). "
            f"If your {label} bin has still not been emptied after {finish}, you can report "
            f"it then, {until}."
        )
    moved = ""
    if collection.slipped:
        moved = (
            f"Because of the bank holiday, this week's collection has moved from "
            f"{_fmt_day(collection.scheduled)} to {_fmt_day(collection.date)}. "
        )
    return (
        f"{moved}If your {label} bin has not been emptied by {finish} on "
        f"{_fmt_day(collection.date)}, you can report it from then {until}."
    )


def _not_collected(
    rules: WasteRules, collection: Collection, bin_type: str, at_local: datetime, upcoming: Collection
) -> MissedCheck:
    label = _BIN_LABELS[bin_type]
    finished = at_local >= datetime.combine(collection.date, rules.crews_finish)
    tense = "was" if finished else "is"
    when = _fmt_day(collection.date)
    if collection.slipped:
        when += f" (moved from {_fmt_day(collection.scheduled)} because of the bank holiday)"
    if bin_type == GARDEN and RECYCLING in collection.bins:
        # A recycling week without garden waste: the winter break.
        first = (
            f"Garden waste is not collected in {_fmt_months(rules.garden_off_months)}, "
            f"so your garden waste bin {tense} not due on {when}."
        )
    else:
        bins = " and ".join(_BIN_LABELS[b] for b in collection.bins)
        first = (
            f"Your {label} bin {tense} not due on {when}: that {tense} a {bins} collection."
        )
    return MissedCheck(
        ok=False,
        reason=NOT_COLLECTED_THAT_WEEK,
        collection=collection,
        window_opens=None,
        window_closes=None,
        message=f"{first} Your next {label} collection is on {_fmt_day(upcoming.date)}.",
        next_collection=upcoming,
    )


# --------------------------------------------------------------------------
# Plain-English formatting (locale-independent, unlike strftime's %A/%B)
# --------------------------------------------------------------------------


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
