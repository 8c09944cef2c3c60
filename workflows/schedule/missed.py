"""Whether a missed bin can be reported now, and what to tell the resident if not."""

from __future__ import annotations

from datetime import date, datetime

from workflows.schedule.collections import (_check_bin, _latest_collection, collection_in_week, last_collection_of,
                                            next_collection_of)
from workflows.schedule.rules import (_ONE_DAY, _ONE_SECOND, END_OF_DAY, GARDEN, NOT_COLLECTED_THAT_WEEK, OK, RECYCLING,
                                      TOO_EARLY, TOO_LATE, Collection, MissedCheck, Round, WasteRules)
from workflows.schedule.weeks import add_working_days, week_start
from workflows.schedule.wording import _BIN_LABELS, _fmt_day, _fmt_months, _fmt_time


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

