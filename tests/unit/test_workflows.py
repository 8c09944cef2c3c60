"""Each workflow's answer() on the demo partnership with fixed dates, without a database.

Expected dates are worked out by hand from a calendar (Christmas 2026: Friday 25 and
Monday 28 December and Friday 1 January 2027 are bank holidays; the week of 21 December
is week A, the week of 28 December week B).
"""
from __future__ import annotations

import datetime as dt

import pytest
import yaml

from hub.config import DEMO_PARTNERSHIP
from hub.partnership.routing import route
from hub.partnership.schema import parse, read
from hub.triage.pipeline import Contact
from workflows import bin_day, common, faq, missed_bin, street_report

DOC, _ = read(DEMO_PARTNERSHIP)
UTC = dt.timezone.utc


def run(module, service_code, text, postcode, at, doc=DOC, details=None):
    service = doc.service(service_code)
    contact = Contact(text=text, postcode=postcode, at=at, details=details or {})
    return module.answer(doc=doc, service=service, contact=contact, postcode=postcode,
                         route=route(doc, service, postcode), at=at)


def postcode_in(sector: str) -> str:
    return f"{sector}AB"


# -- bin day ----------------------------------------------------------------------------
# Christmas 2026, asked on Monday 21 December at 08:00 (before the crews finish):
# week A (21 Dec): only Friday rounds slip (Fri 25 -> Sat 26);
# week B (28 Dec): Monday 28 is a holiday, so every round moves a day, and Thursday's
# "one day later" is New Year's Day, so it goes on to Saturday 2 January.
MOVED = " (moved by the bank holiday)"
CHRISTMAS = {  # round day -> (week A collection, week B collection), each (date, moved?)
    "mon": (("Mon 21 Dec", False), ("Tue 29 Dec", True)),
    "tue": (("Tue 22 Dec", False), ("Wed 30 Dec", True)),
    "wed": (("Wed 23 Dec", False), ("Thu 31 Dec", True)),
    "thu": (("Thu 24 Dec", False), ("Sat 2 Jan", True)),
    "fri": (("Sat 26 Dec", True), ("Sat 2 Jan", True)),
}


def _christmas_reply(day: str, cycle: str) -> str:
    # No garden waste in December or January; recycling in the round's own cycle week.
    bins = ("recycling", "general waste") if cycle == "A" else ("general waste", "recycling")
    parts = [f"{when} {kind}{MOVED if moved else ''}" for (when, moved), kind in zip(CHRISTMAS[day], bins)]
    return f"Your next collections: {parts[0]}; {parts[1]}."


@pytest.mark.parametrize("sector", sorted(DOC.waste_collection.rounds))
def test_bin_day_for_every_round_across_christmas(sector):
    rnd = DOC.waste_collection.rounds[sector]
    result = run(bin_day, "waste.bin_day", "when are my bins collected", postcode_in(sector),
                 dt.datetime(2026, 12, 21, 8, 0, tzinfo=UTC))
    assert result.disposition == "self_served"
    assert result.reply == _christmas_reply(rnd.day, rnd.cycle)


def test_christmas_reply_table_reads_as_intended():
    assert _christmas_reply("fri", "A") == (
        "Your next collections: Sat 26 Dec recycling (moved by the bank holiday); "
        "Sat 2 Jan general waste (moved by the bank holiday).")
    assert _christmas_reply("mon", "B") == (
        "Your next collections: Mon 21 Dec general waste; Tue 29 Dec recycling (moved by the bank holiday).")


def test_garden_waste_in_season_and_not_in_december():
    # WR1 1 is Monday, cycle A; Monday 1 June 2026 is week B, 8 June week A.
    june = run(bin_day, "waste.bin_day", "bin day?", "WR1 1AA", dt.datetime(2026, 6, 1, 7, 0, tzinfo=UTC))
    assert june.reply.startswith("Your next collections: Mon 1 Jun general waste; Mon 8 Jun recycling and garden.")
    december = run(bin_day, "waste.bin_day", "bin day?", "WR1 1AA", dt.datetime(2026, 12, 7, 7, 0, tzinfo=UTC))
    assert december.reply == "Your next collections: Mon 7 Dec recycling; Mon 14 Dec general waste."
    asked = run(bin_day, "waste.bin_day", "when is the green bin", "WR1 1AA", dt.datetime(2026, 12, 7, 7, 0, tzinfo=UTC))
    assert "Next garden waste: Mon 1 Mar." in asked.reply


def test_bin_day_uses_local_time_for_collection_day_cut_off():
    # 16:30 UTC on 1 June is 17:30 in London: today's crews have finished.
    late = run(bin_day, "waste.bin_day", "bin day?", "WR1 1AA", dt.datetime(2026, 6, 1, 16, 30, tzinfo=UTC))
    assert late.reply.startswith("Your next collections: Mon 8 Jun recycling and garden; Mon 15 Jun general waste.")
    early = run(bin_day, "waste.bin_day", "bin day?", "WR1 1AA", dt.datetime(2026, 6, 1, 15, 30, tzinfo=UTC))
    assert early.reply.startswith("Your next collections: Mon 1 Jun general waste;")


def test_sms_sized_reply():
    result = run(bin_day, "waste.bin_day", "bin day?", "WR14 3AB", dt.datetime(2026, 12, 21, 8, tzinfo=UTC))
    assert len(result.reply) <= 160 and result.reply.isascii()


def test_partner_sector_without_a_round_is_escalated():
    data = yaml.safe_load(DEMO_PARTNERSHIP.read_text())
    del data["waste_collection"]["rounds"]["WR14 3"]
    doc = parse(data)
    result = run(bin_day, "waste.bin_day", "bin day?", "WR14 3AB", dt.datetime(2026, 12, 21, 8, tzinfo=UTC), doc=doc)
    assert result.disposition == "escalated"
    assert "WR14 3" in result.explanation and "No collection round" in result.explanation


# -- missed bin -------------------------------------------------------------------------
# WR14 3 is collected on Fridays, cycle A. Friday 4 December 2026 (week B) is general
# waste; crews finish at 17:00; reports close at the end of the 2nd working day after
# (Tuesday 8 December). London is on GMT in December, so UTC times are local times.
MISSED = "my black bin wasn't emptied, 12 Elm Road WR14 3AB"


@pytest.mark.parametrize(("at", "logged", "phrase"), [
    (dt.datetime(2026, 12, 4, 16, 59), False, "Crews are still collecting until 5pm"),
    (dt.datetime(2026, 12, 4, 17, 0), True, "We've logged your missed general waste bin at 12 Elm Road"),
    (dt.datetime(2026, 12, 8, 23, 59), True, "We've logged"),
    (dt.datetime(2026, 12, 9, 8, 0), False, "reporting closed at the end of Tuesday 8 December"),
])
def test_missed_bin_window_edges(at, logged, phrase):
    result = run(missed_bin, "waste.missed_bin", MISSED, "WR14 3AB", at.replace(tzinfo=UTC))
    assert result.disposition == "self_served"
    assert phrase in result.reply
    assert ("effect" in result.data) is logged


def test_missed_bin_not_due_that_week_is_explained_not_logged():
    result = run(missed_bin, "waste.missed_bin", "recycling missed at 12 Elm Road WR14 3AB", "WR14 3AB",
                 dt.datetime(2026, 12, 5, 10, tzinfo=UTC))
    assert result.disposition == "self_served" and "effect" not in result.data
    assert "not due on Friday 4 December" in result.reply


def test_missed_bin_asks_for_exactly_what_is_missing():
    at = dt.datetime(2026, 12, 5, 10, tzinfo=UTC)
    both = run(missed_bin, "waste.missed_bin", "bin not emptied WR14 3AB", "WR14 3AB", at)
    assert both.disposition == "needs_info" and both.needs == ["address", "bin_type"]
    assert "house number and street" in both.reply and "which bin" in both.reply
    only_bin = run(missed_bin, "waste.missed_bin", "bin not emptied at 4 Church St WR14 3AB", "WR14 3AB", at)
    assert only_bin.needs == ["bin_type"] and "house number" not in only_bin.reply
    assert only_bin.data["details"]["address"] == "4 Church Street"
    answered = run(missed_bin, "waste.missed_bin", "bin not emptied WR14 3AB\n\nthe grey one", "WR14 3AB", at,
                   details={"address": "4 Church Street"})
    assert answered.disposition == "self_served" and "effect" in answered.data


@pytest.mark.parametrize(("text", "kinds"), [
    ("my black bin", ["general"]), ("the grey wheelie bin", ["general"]), ("rubbish not taken", ["general"]),
    ("blue bin missed", ["recycling"]), ("recycling not collected", ["recycling"]),
    ("green bin", ["garden"]), ("brown bin", ["garden"]), ("garden waste", ["garden"]),
    ("recycling and garden both missed", ["recycling", "garden"]), ("my bin", []),
])
def test_bin_type_extraction(text, kinds):
    assert common.bin_types(text) == kinds


@pytest.mark.parametrize(("text", "address"), [
    ("bin missed at 12 Elm Road WR14 3AB", "12 Elm Road"),
    ("3a, church st", "3A Church Street"),
    ("flat 2, 14 High St, Malvern", "14 High Street"),
    ("45 St John's Close", "45 St John's Close"),
    ("it was 16:59 on my road", None),
    ("my bin wasn't emptied", None),
])
def test_address_extraction(text, address):
    assert common.address(text) == address


def test_address_key_ignores_how_it_is_typed():
    assert common.address_key("12 Elm Rd", "WR14 3AB") == common.address_key("12 elm road", "WR14 3AB")


# -- street reports -----------------------------------------------------------------------
def test_street_report_with_location_is_logged():
    result = run(street_report, "roads.pothole", "huge pothole on the high street outside the Co-op WR14 3AB",
                 "WR14 3AB", dt.datetime(2026, 12, 4, 10, tzinfo=UTC))
    assert result.disposition == "self_served"
    assert result.data["details"]["location_text"] == "High Street, outside the Co-op"
    assert "Worcestershire County Council" in result.reply and result.data["effect"]["job"] == "street_report_log"


def test_street_report_without_location_asks_where():
    result = run(street_report, "roads.street_light", "street light out on my road", None,
                 dt.datetime(2026, 12, 4, 10, tzinfo=UTC))
    assert result.disposition == "needs_info" and result.needs == ["location"]
    assert "Where is it?" in result.reply


def test_street_light_without_location_through_the_pipeline_asks_where():
    from hub.triage.pipeline import Pipeline
    from hub.triage.service import build_pipeline

    pipe: Pipeline = build_pipeline(DOC)
    decision = pipe.decide(Contact(text="the street light outside my house is out", service="roads.street_light"))
    assert decision.disposition == "needs_info" and decision.needs == ["location"]


# -- FAQ ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("service", "text"), [
    ("council_tax.payment", "how do I pay my council tax"),
    ("council_tax.payment", "how can i pay council tax by direct debit WR1 1AA"),
    ("waste.recycling_centre", "what time does the tip open"),
    ("libraries.renewal", "can I renew my library books online"),
    ("registration.birth_death", "how do I register a death"),
    ("transport.blue_badge", "my blue badge is expiring what do I do"),
])
def test_faq_answers_when_the_article_fits(service, text):
    result = run(faq, service, text, "WR1 1AA", dt.datetime(2026, 12, 4, 10, tzinfo=UTC))
    assert result.disposition == "self_served", result.explanation
    assert "Reply PERSON" in result.reply


@pytest.mark.parametrize(("service", "text"), [
    ("libraries.renewal", "my library fines are wrong and I want a refund"),
    ("council_tax.payment", "I was charged twice for my council tax payment this month and want my money back"),
    ("waste.recycling_centre", "can i bring an old mattress to the recycling centre on sunday"),
    ("schools.admissions", "my son is being bullied at school"),
])
def test_faq_escalates_when_no_article_fits(service, text):
    result = run(faq, service, text, "WR1 1AA", dt.datetime(2026, 12, 4, 10, tzinfo=UTC))
    assert result.disposition == "escalated"
    assert "No answer fits" in result.explanation
