"""Tests for workflows.schedule against the demo partnership's real values.

The rules below are literal copies of worcestershire-demo.yaml
(waste_collection, bank_holidays, partnership.working_hours). Expected dates
are worked out by hand from a calendar, not from the code under test.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta, timezone

import pytest

from workflows.schedule import (
    NOT_COLLECTED_THAT_WEEK,
    OK,
    TOO_EARLY,
    TOO_LATE,
    Collection,
    Round,
    WasteRules,
    add_working_days,
    check_missed_report,
    collection_in_week,
    last_collection_of,
    missed_report_window,
    next_collection_of,
    next_collections,
    week_letter,
    week_start,
)

BANK_HOLIDAYS = frozenset(
    date.fromisoformat(d)
    for d in (
        "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25",
        "2026-08-31", "2026-12-25", "2026-12-28", "2027-01-01", "2027-03-26",
        "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27",
        "2027-12-28",
    )
)

RULES = WasteRules(
    anchor=date(2026, 1, 5),
    crews_finish=time(17, 0),
    missed_window_working_days=2,
    bank_holidays=BANK_HOLIDAYS,
    working_days=frozenset({0, 1, 2, 3, 4}),  # working_hours days: mon-fri
)

# A few real demo rounds.
WR1_1 = Round(day=0, cycle="A")   # "WR1 1": {day: mon, cycle: A}
WR1_2 = Round(day=0, cycle="B")   # "WR1 2": {day: mon, cycle: B}
WR1_3 = Round(day=1, cycle="A")   # "WR1 3": {day: tue, cycle: A}
WR2_5 = Round(day=1, cycle="B")   # "WR2 5": {day: tue, cycle: B}
WR2_6 = Round(day=2, cycle="A")   # "WR2 6": {day: wed, cycle: A}
WR3_7 = Round(day=2, cycle="B")   # "WR3 7": {day: wed, cycle: B}
WR3_8 = Round(day=3, cycle="A")   # "WR3 8": {day: thu, cycle: A}
WR4_0 = Round(day=3, cycle="B")   # "WR4 0": {day: thu, cycle: B}
WR4_9 = Round(day=4, cycle="A")   # "WR4 9": {day: fri, cycle: A}
WR5_1 = Round(day=4, cycle="B")   # "WR5 1": {day: fri, cycle: B}

ALL_ROUNDS = [Round(day, cycle) for day in range(5) for cycle in "AB"]

D = date.fromisoformat


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def dates(collections: list[Collection]) -> list[date]:
    return [c.date for c in collections]


# --------------------------------------------------------------------------
# Week letters
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "letter"),
    [
        ("2026-01-05", "A"),  # the anchor Monday
        ("2026-01-11", "A"),  # its Sunday
        ("2026-01-12", "B"),
        ("2026-01-19", "A"),
        ("2026-01-04", "B"),  # Sunday before the anchor: previous week
        ("2025-12-29", "B"),
        ("2025-12-22", "A"),
        ("2025-01-06", "A"),  # 52 weeks before the anchor
        ("2025-01-13", "B"),
        ("2026-03-30", "A"),  # Good Friday week 2026
        ("2026-04-06", "B"),  # Easter Monday week 2026
        ("2026-12-28", "B"),  # ISO week 53 of 2026
        ("2027-01-04", "A"),  # ISO week 1 of 2027: 52 weeks after anchor
        ("2027-03-01", "A"),
    ],
)
def test_week_letter(day: str, letter: str) -> None:
    assert week_letter(RULES, D(day)) == letter


def test_week_letter_is_not_iso_week_parity() -> None:
    # In 2026 A weeks are even ISO weeks; 2026 has 53 ISO weeks, so in 2027
    # A weeks are odd ISO weeks. Counting from the anchor keeps alternating.
    assert D("2026-01-05").isocalendar().week == 2
    assert D("2027-01-04").isocalendar().week == 1
    assert week_letter(RULES, D("2026-12-28")) == "B"
    assert week_letter(RULES, D("2027-01-04")) == "A"


def test_week_letters_alternate_for_ten_years_either_side() -> None:
    monday = D("2016-01-04")
    letters = []
    while monday < D("2036-01-07"):
        letters.append(week_letter(RULES, monday))
        monday += timedelta(days=7)
    assert all(a != b for a, b in zip(letters, letters[1:]))


def test_anchor_must_be_a_monday() -> None:
    with pytest.raises(ValueError, match="Monday"):
        WasteRules(D("2026-01-06"), time(17), 2, BANK_HOLIDAYS)


def test_rules_accept_plain_iterables_and_stay_hashable() -> None:
    rules = WasteRules(D("2026-01-05"), time(17), 2, [D("2026-01-01")], [0, 1, 2, 3, 4], [12, 1, 2])
    assert rules.bank_holidays == frozenset({D("2026-01-01")})
    assert rules.working_days == frozenset(range(5))
    assert hash(rules) == hash(rules)


def test_round_validation() -> None:
    with pytest.raises(ValueError):
        Round(day=0, cycle="C")
    with pytest.raises(ValueError):
        Round(day=7, cycle="A")


# --------------------------------------------------------------------------
# Bins
# --------------------------------------------------------------------------


def test_bins_alternate_by_week_and_cycle() -> None:
    # Anchor week is A: cycle A empties recycling (January: no garden).
    assert collection_in_week(RULES, WR1_1, D("2026-01-05")) == Collection(
        date=D("2026-01-05"), scheduled=D("2026-01-05"), bins=("recycling",), slipped=False
    )
    assert collection_in_week(RULES, WR1_2, D("2026-01-05")).bins == ("general",)
    assert collection_in_week(RULES, WR1_1, D("2026-01-12")).bins == ("general",)
    assert collection_in_week(RULES, WR1_2, D("2026-01-12")).bins == ("recycling",)
    # Eight consecutive weeks strictly alternate.
    kinds = [
        collection_in_week(RULES, WR2_6, D("2026-06-01") + timedelta(weeks=i)).bins[0]
        for i in range(8)
    ]
    # Week of 1 June 2026 is 21 weeks after the anchor: B.
    assert kinds == ["general", "recycling"] * 4


def test_collection_in_week_needs_a_monday() -> None:
    with pytest.raises(ValueError, match="Monday"):
        collection_in_week(RULES, WR1_1, D("2026-01-06"))


def test_garden_waste_stops_in_december_and_restarts_in_march() -> None:
    # Cycle A Monday recycling weeks around the winter break.
    assert collection_in_week(RULES, WR1_1, D("2026-11-23")).bins == ("recycling", "garden")
    assert collection_in_week(RULES, WR1_1, D("2026-12-07")).bins == ("recycling",)
    assert collection_in_week(RULES, WR1_1, D("2027-02-15")).bins == ("recycling",)
    assert collection_in_week(RULES, WR1_1, D("2027-03-01")).bins == ("recycling", "garden")
    # 2026: last winter recycling in February, first garden in March.
    assert collection_in_week(RULES, WR5_1, D("2026-02-23")) == Collection(
        date=D("2026-02-27"), scheduled=D("2026-02-27"), bins=("recycling",), slipped=False
    )
    assert collection_in_week(RULES, WR1_1, D("2026-03-02")).bins == ("recycling", "garden")


def test_garden_decided_per_day_within_a_week_spanning_november_and_december() -> None:
    # Week of Monday 30 November 2026 is a B week.
    assert collection_in_week(RULES, WR1_2, D("2026-11-30")).bins == ("recycling", "garden")
    assert collection_in_week(RULES, WR2_5, D("2026-11-30")) == Collection(
        date=D("2026-12-01"), scheduled=D("2026-12-01"), bins=("recycling",), slipped=False
    )


def test_garden_decided_on_actual_date_after_a_slip() -> None:
    # Hypothetical bank holiday on Monday 30 November: the Monday round moves
    # to Tuesday 1 December, which is in the garden break.
    rules = dataclasses.replace(RULES, bank_holidays=BANK_HOLIDAYS | {D("2026-11-30")})
    assert collection_in_week(rules, WR1_2, D("2026-11-30")) == Collection(
        date=D("2026-12-01"), scheduled=D("2026-11-30"), bins=("recycling",), slipped=True
    )
    # And the other way round: Saturday 1 March 2025 after a Friday holiday.
    rules = dataclasses.replace(RULES, bank_holidays={D("2025-02-28")})
    slipped = collection_in_week(rules, Round(4, week_letter(rules, D("2025-02-24"))), D("2025-02-24"))
    assert (slipped.date, slipped.scheduled, slipped.bins) == (
        D("2025-03-01"), D("2025-02-28"), ("recycling", "garden"),
    )


# --------------------------------------------------------------------------
# Bank holiday slips
# --------------------------------------------------------------------------


def week_dates(monday: str, cycle: str = "A") -> list[date]:
    return [collection_in_week(RULES, Round(day, cycle), D(monday)).date for day in range(5)]


def test_good_friday_2026_moves_only_the_friday_round() -> None:
    assert week_dates("2026-03-30") == [
        D("2026-03-30"), D("2026-03-31"), D("2026-04-01"), D("2026-04-02"), D("2026-04-04"),
    ]
    friday = collection_in_week(RULES, WR4_9, D("2026-03-30"))
    assert friday == Collection(
        date=D("2026-04-04"), scheduled=D("2026-04-03"), bins=("recycling", "garden"), slipped=True
    )
    assert not collection_in_week(RULES, WR3_8, D("2026-03-30")).slipped


def test_easter_monday_2026_moves_the_whole_week() -> None:
    assert week_dates("2026-04-06") == [
        D("2026-04-07"), D("2026-04-08"), D("2026-04-09"), D("2026-04-10"), D("2026-04-11"),
    ]
    assert all(collection_in_week(RULES, r, D("2026-04-06")).slipped for r in ALL_ROUNDS)


def test_early_may_and_spring_and_summer_2026() -> None:
    assert week_dates("2026-05-04") == [
        D("2026-05-05"), D("2026-05-06"), D("2026-05-07"), D("2026-05-08"), D("2026-05-09"),
    ]
    # Week of 4 May is B: WR1 2 (Monday, B) gets recycling + garden on Tue 5 May.
    assert collection_in_week(RULES, WR1_2, D("2026-05-04")) == Collection(
        date=D("2026-05-05"), scheduled=D("2026-05-04"), bins=("recycling", "garden"), slipped=True
    )
    assert week_dates("2026-05-25")[2] == D("2026-05-28")
    # Summer bank holiday Monday 31 August: Monday round goes to Tuesday 1 September.
    assert collection_in_week(RULES, WR1_1, D("2026-08-31")) == Collection(
        date=D("2026-09-01"), scheduled=D("2026-08-31"), bins=("recycling", "garden"), slipped=True
    )


def test_christmas_2026() -> None:
    # Christmas Day is Friday: only the Friday round moves, to Boxing Day.
    assert week_dates("2026-12-21") == [
        D("2026-12-21"), D("2026-12-22"), D("2026-12-23"), D("2026-12-24"), D("2026-12-26"),
    ]
    # Boxing Day substitute Monday 28 December and New Year's Day Friday 1 January:
    # everything one day later; Friday stays ONE day later despite two holidays;
    # Thursday's "one day later" would be New Year's Day, so it goes on to Saturday.
    assert week_dates("2026-12-28") == [
        D("2026-12-29"), D("2026-12-30"), D("2026-12-31"), D("2027-01-02"), D("2027-01-02"),
    ]
    friday = collection_in_week(RULES, WR5_1, D("2026-12-28"))
    assert friday == Collection(
        date=D("2027-01-02"), scheduled=D("2027-01-01"), bins=("recycling",), slipped=True
    )


def test_new_year_2027_does_not_carry_into_the_next_week() -> None:
    assert week_dates("2027-01-04") == [
        D("2027-01-04"), D("2027-01-05"), D("2027-01-06"), D("2027-01-07"), D("2027-01-08"),
    ]
    assert not any(collection_in_week(RULES, r, D("2027-01-04")).slipped for r in ALL_ROUNDS)


def test_easter_2027() -> None:
    assert week_dates("2027-03-22") == [
        D("2027-03-22"), D("2027-03-23"), D("2027-03-24"), D("2027-03-25"), D("2027-03-27"),
    ]
    assert week_dates("2027-03-29") == [
        D("2027-03-30"), D("2027-03-31"), D("2027-04-01"), D("2027-04-02"), D("2027-04-03"),
    ]


def test_early_may_2027() -> None:
    assert week_dates("2027-05-03", "B") == [
        D("2027-05-04"), D("2027-05-05"), D("2027-05-06"), D("2027-05-07"), D("2027-05-08"),
    ]
    # 3 May 2027 is 69 weeks after the anchor: a B week.
    assert collection_in_week(RULES, WR4_0, D("2027-05-03")).bins == ("recycling", "garden")


def test_christmas_2027() -> None:
    # Christmas Day and Boxing Day fall at the weekend: Christmas Eve is not moved.
    assert week_dates("2027-12-20") == [
        D("2027-12-20"), D("2027-12-21"), D("2027-12-22"), D("2027-12-23"), D("2027-12-24"),
    ]
    # Substitute days Monday 27 and Tuesday 28 December: Monday's one-day move
    # would land on the 28th (a bank holiday), so it goes on to Wednesday 29.
    assert week_dates("2027-12-27") == [
        D("2027-12-29"), D("2027-12-29"), D("2027-12-30"), D("2027-12-31"), D("2028-01-01"),
    ]


def every_monday_covering_2026_and_2027() -> list[date]:
    mondays, monday = [], D("2025-12-29")
    while monday <= D("2027-12-31"):
        mondays.append(monday)
        monday += timedelta(days=7)
    return mondays


def test_every_round_every_week_2026_2027_property() -> None:
    double_moves = set()
    checked = 0
    for rnd in ALL_ROUNDS:
        previous: Collection | None = None
        for monday in every_monday_covering_2026_and_2027():
            c = collection_in_week(RULES, rnd, monday)
            checked += 1
            scheduled = monday + timedelta(days=rnd.day)
            assert c.scheduled == scheduled
            assert c.date not in BANK_HOLIDAYS, (rnd, monday, c)
            # Right week: never earlier than scheduled, never out of the week.
            assert week_start(c.date) == monday, (rnd, monday, c)
            assert week_letter(RULES, c.date) == week_letter(RULES, monday)
            holiday_on_or_before = any(
                monday + timedelta(days=i) in BANK_HOLIDAYS for i in range(rnd.day + 1)
            )
            assert c.slipped == holiday_on_or_before
            if not c.slipped:
                assert c.date == scheduled
            elif c.date != scheduled + timedelta(days=1):
                double_moves.add(c.scheduled)
                assert c.date == scheduled + timedelta(days=2)
            # Bins follow the week letter and the garden season.
            recycling_week = week_letter(RULES, monday) == rnd.cycle
            if recycling_week:
                expected = ("recycling",) if c.date.month in (12, 1, 2) else ("recycling", "garden")
            else:
                expected = ("general",)
            assert c.bins == expected
            if previous is not None:
                assert previous.bins[0] != c.bins[0]  # alternate weeks
                assert 5 <= (c.date - previous.date).days <= 9
                # Reporting windows never run into the next collection.
                assert missed_report_window(RULES, previous)[1] < missed_report_window(RULES, c)[0]
            previous = c
    assert checked == 10 * 105
    # The only moves of more than one day: one-day-later landed on a bank holiday.
    assert double_moves == {D("2026-12-31"), D("2027-12-27")}


# --------------------------------------------------------------------------
# Next / last collections
# --------------------------------------------------------------------------


def test_next_collections_on_collection_day_depends_on_crews_finishing() -> None:
    assert dates(next_collections(RULES, WR1_1, D("2026-01-05"))) == [D("2026-01-05"), D("2026-01-12")]
    assert dates(next_collections(RULES, WR1_1, D("2026-01-05"), now_local=time(16, 59))) == [
        D("2026-01-05"), D("2026-01-12"),
    ]
    later = next_collections(RULES, WR1_1, D("2026-01-05"), now_local=time(17, 0))
    assert dates(later) == [D("2026-01-12"), D("2026-01-19")]
    assert [c.bins for c in later] == [("general",), ("recycling",)]


def test_next_collections_other_days_and_counts() -> None:
    assert dates(next_collections(RULES, WR1_1, D("2026-01-04"))) == [D("2026-01-05"), D("2026-01-12")]
    assert dates(next_collections(RULES, WR2_6, D("2026-01-05"), 3)) == [
        D("2026-01-07"), D("2026-01-14"), D("2026-01-21"),
    ]
    assert next_collections(RULES, WR2_6, D("2026-01-05"), 0) == []
    with pytest.raises(ValueError):
        next_collections(RULES, WR2_6, D("2026-01-05"), -1)


def test_next_collections_over_easter_2026() -> None:
    got = next_collections(RULES, WR4_9, D("2026-04-03"), 3, now_local=time(12, 0))
    assert got == [
        Collection(D("2026-04-04"), D("2026-04-03"), ("recycling", "garden"), True),
        Collection(D("2026-04-11"), D("2026-04-10"), ("general",), True),
        Collection(D("2026-04-17"), D("2026-04-17"), ("recycling", "garden"), False),
    ]
    # Saturday evening after the moved collection: next is the following Saturday.
    assert dates(next_collections(RULES, WR4_9, D("2026-04-04"), 1, now_local=time(18, 0))) == [
        D("2026-04-11")
    ]


def test_next_collections_over_new_year() -> None:
    got = next_collections(RULES, WR4_0, D("2026-12-30"))
    assert got == [
        Collection(D("2027-01-02"), D("2026-12-31"), ("recycling",), True),
        Collection(D("2027-01-07"), D("2027-01-07"), ("general",), False),
    ]


def test_next_collection_of_each_bin() -> None:
    assert next_collection_of(RULES, WR1_1, "general", D("2026-01-05")).date == D("2026-01-12")
    assert next_collection_of(RULES, WR1_1, "recycling", D("2026-01-05")).date == D("2026-01-05")
    assert (
        next_collection_of(RULES, WR1_1, "recycling", D("2026-01-05"), now_local=time(17)).date
        == D("2026-01-19")
    )
    # Garden waste in winter: first collection after the break.
    assert next_collection_of(RULES, WR1_1, "garden", D("2026-01-05")).date == D("2026-03-02")
    assert next_collection_of(RULES, WR1_1, "garden", D("2026-12-01")).date == D("2027-03-01")
    with pytest.raises(ValueError, match="unknown bin"):
        next_collection_of(RULES, WR1_1, "food", D("2026-01-05"))


def test_last_collection_of() -> None:
    assert last_collection_of(RULES, WR1_1, "recycling", D("2026-01-05")).date == D("2026-01-05")
    assert last_collection_of(RULES, WR1_1, "general", D("2026-01-05")).date == D("2025-12-29")
    assert last_collection_of(RULES, WR1_1, "recycling", D("2026-01-04")).date == D("2025-12-22")
    assert last_collection_of(RULES, WR1_1, "garden", D("2027-02-01")).date == D("2026-11-23")
    # A moved collection counts from its actual date.
    assert last_collection_of(RULES, WR4_9, "recycling", D("2026-04-03")).date == D("2026-03-20")
    assert last_collection_of(RULES, WR4_9, "recycling", D("2026-04-04")).date == D("2026-04-04")
    no_garden = dataclasses.replace(RULES, garden_off_months=frozenset(range(1, 13)))
    assert last_collection_of(no_garden, WR1_1, "garden", D("2026-06-01")) is None
    with pytest.raises(ValueError):
        next_collection_of(no_garden, WR1_1, "garden", D("2026-06-01"))


# --------------------------------------------------------------------------
# Working days and reporting windows
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2026-01-05", 2, "2026-01-07"),   # Mon -> Wed
        ("2026-01-09", 2, "2026-01-13"),   # Fri -> Tue across a weekend
        ("2026-04-02", 2, "2026-04-08"),   # Thu -> Wed across Good Friday, weekend, Easter Monday
        ("2026-04-04", 2, "2026-04-08"),   # Sat (moved collection) -> Wed
        ("2026-12-24", 1, "2026-12-29"),   # Christmas Eve -> Tue 29 Dec
        ("2026-12-26", 2, "2026-12-30"),
        ("2026-12-31", 2, "2027-01-05"),   # across New Year's Day and a weekend
        ("2026-01-05", 0, "2026-01-05"),
        ("2026-04-07", -1, "2026-04-02"),  # backwards over Easter
    ],
)
def test_add_working_days(start: str, n: int, expected: str) -> None:
    assert add_working_days(RULES, D(start), n) == D(expected)


def test_missed_report_window_values() -> None:
    monday = collection_in_week(RULES, WR1_1, D("2026-01-05"))
    assert missed_report_window(RULES, monday) == (at("2026-01-05 17:00"), at("2026-01-07 23:59:59"))
    friday = collection_in_week(RULES, WR4_9, D("2026-01-05"))
    assert missed_report_window(RULES, friday) == (at("2026-01-09 17:00"), at("2026-01-13 23:59:59"))
    good_friday = collection_in_week(RULES, WR4_9, D("2026-03-30"))
    assert missed_report_window(RULES, good_friday) == (
        at("2026-04-04 17:00"), at("2026-04-08 23:59:59"),
    )
    boxing_day = collection_in_week(RULES, WR4_9, D("2026-12-21"))
    assert missed_report_window(RULES, boxing_day) == (
        at("2026-12-26 17:00"), at("2026-12-30 23:59:59"),
    )


# --------------------------------------------------------------------------
# Missed bin reports
# --------------------------------------------------------------------------


def test_missed_report_edges_on_a_plain_week() -> None:
    # WR1 1: recycling on Monday 5 January 2026; window to end of Wed 7 January.
    early = check_missed_report(RULES, WR1_1, "recycling", at("2026-01-05 16:59"))
    assert (early.ok, early.reason) == (False, TOO_EARLY)
    assert early.collection.date == D("2026-01-05")
    assert (early.window_opens, early.window_closes) == (at("2026-01-05 17:00"), at("2026-01-07 23:59:59"))
    assert "5pm today (Monday 5 January)" in early.message
    assert "Wednesday 7 January" in early.message

    on_time = check_missed_report(RULES, WR1_1, "recycling", at("2026-01-05 17:00"))
    assert (on_time.ok, on_time.reason) == (True, OK)
    assert on_time.collection.date == D("2026-01-05")

    assert check_missed_report(RULES, WR1_1, "recycling", at("2026-01-07 23:59")).ok
    assert check_missed_report(RULES, WR1_1, "recycling", at("2026-01-07 23:59:59.999")).ok

    for moment in ("2026-01-08 00:00", "2026-01-08 08:00"):
        late = check_missed_report(RULES, WR1_1, "recycling", at(moment))
        assert (late.ok, late.reason) == (False, TOO_LATE)
        assert late.collection.date == D("2026-01-05")
        assert late.window_closes == at("2026-01-07 23:59:59")
        assert late.next_collection.date == D("2026-01-19")
        assert "closed at the end of Wednesday 7 January" in late.message
        assert "next recycling collection is on Monday 19 January" in late.message


def test_missed_report_window_across_a_weekend() -> None:
    # WR4 9: recycling Friday 9 January 2026; window to end of Tuesday 13 January.
    assert check_missed_report(RULES, WR4_9, "recycling", at("2026-01-10 11:00")).ok  # Saturday
    assert check_missed_report(RULES, WR4_9, "recycling", at("2026-01-13 23:59")).ok
    late = check_missed_report(RULES, WR4_9, "recycling", at("2026-01-14 09:00"))
    assert late.reason == TOO_LATE
    assert late.next_collection.date == D("2026-01-23")


def test_missed_report_window_across_easter_bank_holidays() -> None:
    # WR3 8: recycling + garden on Thursday 2 April 2026. Good Friday, the
    # weekend and Easter Monday are not working days: open to end of Wed 8 April.
    ok = check_missed_report(RULES, WR3_8, "garden", at("2026-04-08 23:59"))
    assert ok.reason == OK
    assert ok.window_closes == at("2026-04-08 23:59:59")
    # Thursday 9 April: the window has closed and this week's round day has
    # come, so the answer is about this week's (general, moved) collection.
    closed = check_missed_report(RULES, WR3_8, "garden", at("2026-04-09 08:00"))
    assert closed.reason == NOT_COLLECTED_THAT_WEEK
    assert closed.collection.date == D("2026-04-10")
    assert closed.next_collection.date == D("2026-04-16")
    assert "moved from Thursday 9 April" in closed.message
    assert "next garden waste collection is on Thursday 16 April" in closed.message
    # The same morning, the general bin: this week's (moved) collection has not happened.
    general = check_missed_report(RULES, WR3_8, "general", at("2026-04-09 08:00"))
    assert general.reason == TOO_EARLY
    assert general.collection.date == D("2026-04-10")
    assert "moved from Thursday 9 April to Friday 10 April" in general.message


def test_missed_report_on_good_friday_for_a_moved_collection() -> None:
    early = check_missed_report(RULES, WR4_9, "recycling", at("2026-04-03 10:00"))
    assert early.reason == TOO_EARLY
    assert early.window_opens == at("2026-04-04 17:00")
    assert early.window_closes == at("2026-04-08 23:59:59")
    assert "moved from Friday 3 April to Saturday 4 April" in early.message
    assert "5pm on Saturday 4 April" in early.message
    assert check_missed_report(RULES, WR4_9, "recycling", at("2026-04-04 16:59")).reason == TOO_EARLY
    assert check_missed_report(RULES, WR4_9, "recycling", at("2026-04-04 17:00")).reason == OK
    assert check_missed_report(RULES, WR4_9, "recycling", at("2026-04-08 23:59")).reason == OK
    assert check_missed_report(RULES, WR4_9, "recycling", at("2026-04-09 07:00")).reason == TOO_LATE


def test_missed_report_over_christmas_2026() -> None:
    # WR4 9: recycling moved from Christmas Day to Boxing Day; window to end of Wed 30 Dec.
    assert check_missed_report(RULES, WR4_9, "recycling", at("2026-12-28 12:00")).ok
    assert check_missed_report(RULES, WR4_9, "recycling", at("2026-12-30 23:59")).ok
    assert check_missed_report(RULES, WR4_9, "recycling", at("2026-12-31 09:00")).reason == TOO_LATE
    # WR4 0: Thursday 31 December moved to Saturday 2 January; window to end of Tue 5 Jan.
    check = check_missed_report(RULES, WR4_0, "recycling", at("2027-01-05 23:59"))
    assert check.ok and check.collection.date == D("2027-01-02")


def test_bin_not_due_that_week() -> None:
    # General waste on a recycling Monday.
    check = check_missed_report(RULES, WR1_1, "general", at("2026-01-05 18:00"))
    assert (check.ok, check.reason) == (False, NOT_COLLECTED_THAT_WEEK)
    assert check.collection.date == D("2026-01-05")
    assert check.window_opens is None and check.window_closes is None
    assert check.next_collection.date == D("2026-01-12")
    assert "that was a recycling collection" in check.message
    assert "next general waste collection is on Monday 12 January" in check.message
    # Before the crews finish, same answer but in the present tense.
    assert "that is a recycling collection" in check_missed_report(
        RULES, WR1_1, "general", at("2026-01-05 09:00")
    ).message


def test_garden_bin_in_the_winter_break() -> None:
    check = check_missed_report(RULES, WR1_1, "garden", at("2026-01-06 10:00"))
    assert check.reason == NOT_COLLECTED_THAT_WEEK
    assert check.next_collection.date == D("2026-03-02")
    assert "not collected in December, January and February" in check.message
    assert "Monday 2 March" in check.message


def test_general_bin_reported_the_week_after_is_too_late() -> None:
    # WR1 2: general on Mon 5 Jan; on Sunday 11 Jan the window is long closed.
    check = check_missed_report(RULES, WR1_2, "general", at("2026-01-11 20:00"))
    assert check.reason == TOO_LATE
    assert check.collection.date == D("2026-01-05")
    assert check.next_collection.date == D("2026-01-19")


def test_missed_report_every_collection_in_2026_property() -> None:
    for rnd in (WR1_1, WR2_5, WR3_7, WR4_0, WR4_9):
        for monday in every_monday_covering_2026_and_2027()[:54]:
            c = collection_in_week(RULES, rnd, monday)
            opens, closes = missed_report_window(RULES, c)
            for bin_type in c.bins:
                before = check_missed_report(RULES, rnd, bin_type, opens - timedelta(minutes=1))
                assert before.reason == TOO_EARLY and before.collection == c
                for moment in (opens, closes):
                    inside = check_missed_report(RULES, rnd, bin_type, moment)
                    assert inside.reason == OK and inside.collection == c
                after = check_missed_report(RULES, rnd, bin_type, closes + timedelta(seconds=1))
                assert not after.ok
                assert after.reason in (TOO_LATE, NOT_COLLECTED_THAT_WEEK, TOO_EARLY)
                assert after.next_collection.date > closes.date()


def test_missed_report_rejects_aware_datetimes_and_unknown_bins() -> None:
    with pytest.raises(ValueError, match="naive"):
        check_missed_report(RULES, WR1_1, "recycling", datetime(2026, 1, 5, 17, tzinfo=timezone.utc))
    with pytest.raises(ValueError, match="unknown bin"):
        check_missed_report(RULES, WR1_1, "food", at("2026-01-05 17:00"))
