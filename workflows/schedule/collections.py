"""Which bins a round empties on which day, with bank-holiday slips; next and last collections."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from itertools import islice

from workflows.schedule.rules import (_ONE_DAY, _ONE_WEEK, _SEARCH_WEEKS, BIN_TYPES, GARDEN, GENERAL, RECYCLING,
                                      Collection, Round, WasteRules)
from workflows.schedule.weeks import week_letter, week_start


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

