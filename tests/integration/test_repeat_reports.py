"""Repeat and duplicate reports, counted and found in SQL (review findings 12 and 24), on
SQLite and PostgreSQL: one missed collection reported three times is one miss, linked to its
first report; many older cases nearby never hide the ones that matter."""
from __future__ import annotations

import datetime as dt

from hub.cases import queries
from hub.cases.service import receive_contact
from hub.db import get_session
from hub.jobs.dispatch import commit_and_dispatch, take_new
from hub.triage.service import triage_case

from fixtures.contacts import kinds, outbound, receive_at, reload

UTC = dt.timezone.utc




def _filler(n: int, *, service: str, postcode: str, at: dt.datetime) -> None:
    """Older cases of the service nearby: more than any Python-side window used to read."""
    for i in range(n):
        queries.new_case(channel="web", service_code=service, status="open", postcode=postcode,
                         created_at=at + dt.timedelta(seconds=i), location_text=f"{i + 100} Other Road")
    get_session().commit()


def test_one_missed_collection_reported_three_times_is_one_miss_linked_to_the_first(app):
    # WR14 3 (Friday, cycle A): general waste on Fri 4 Dec; reports open 17:00 that day until Tue 8 Dec.
    texts = [("web", "my black bin wasn't emptied, 12 Elm Road WR14 3AB", dt.datetime(2026, 12, 5, 10, tzinfo=UTC)),
             ("sms", "Grey bin still not emptied at 12 elm rd WR14 3AB", dt.datetime(2026, 12, 7, 9, tzinfo=UTC)),
             ("web", "rubbish not collected on Friday 12 Elm Road, WR14 3AB", dt.datetime(2026, 12, 8, 9, tzinfo=UTC))]
    ids = []
    for n, (channel, text, at) in enumerate(texts):
        who = {"phone": f"+44770090031{n}"} if channel == "sms" else {"email": f"r{n}@example.org"}
        ids.append(receive_at(at, channel=channel, body=text, chosen_service="waste.missed_bin", **who).case.id)
    first, second, third = (reload(i) for i in ids)
    assert (first.status, first.disposition, first.duplicate_of_id) == ("resolved", "self_served", None)
    assert (first.address_key, first.collection_date) == ("12 elm road|WR14 3AB", dt.date(2026, 12, 4))
    for repeat in (second, third):
        assert (repeat.status, repeat.disposition, repeat.duplicate_of_id) == ("resolved", "self_served", first.id)
        [reply] = outbound(repeat.id)
        assert f"already logged (ref {first.reference})" in reply and f"(ref {repeat.reference})" in reply
        assert "missed collection number" not in reply
        assert "linked_duplicate" in kinds(repeat.id) and "missed_bin_logged" not in kinds(repeat.id)
    assert kinds(first.id).count("duplicate_linked") == 2
    # The next fortnight's miss is the second missed collection, not the fourth report.
    nxt = reload(receive_at(dt.datetime(2026, 12, 19, 10, tzinfo=UTC), channel="web", email="r9@example.org",
                           body="black bin missed again, 12 Elm Road WR14 3AB",
                           chosen_service="waste.missed_bin").case.id)
    assert (nxt.status, nxt.disposition, nxt.duplicate_of_id) == ("resolved", "self_served", None)
    assert "1 other missed collections" in nxt.triage["explanation"][-1]
    # The job again: still one link.
    from workflows.missed_bin import log_report

    log_report(case_id=third.id)
    commit_and_dispatch()
    assert kinds(first.id).count("duplicate_linked") == 2 and len(outbound(third.id)) == 1


def test_a_different_bin_on_the_same_day_is_not_linked(app):
    # Fri 27 Nov is a recycling week for WR14 3, with garden waste (November is not an off month).
    first = receive_at(dt.datetime(2026, 11, 27, 18, tzinfo=UTC), channel="web", email="g1@example.org",
                     body="blue recycling bin not emptied 12 Elm Road WR14 3AB", chosen_service="waste.missed_bin").case
    other = receive_at(dt.datetime(2026, 11, 27, 19, tzinfo=UTC), channel="web", email="g2@example.org",
                     body="green garden bin not emptied 12 Elm Road WR14 3AB", chosen_service="waste.missed_bin").case
    first, other = reload(first.id), reload(other.id)
    assert first.collection_date == other.collection_date == dt.date(2026, 11, 27)
    assert first.duplicate_of_id is None and other.duplicate_of_id is None
    assert "missed_bin_logged" in kinds(other.id)


def test_repeat_misses_are_counted_however_many_other_reports_the_postcode_has(app):
    _filler(510, service="waste.missed_bin", postcode="WR14 3AB", at=dt.datetime(2026, 11, 20, tzinfo=UTC))
    at = [dt.datetime(2026, 12, 5, 10, tzinfo=UTC), dt.datetime(2026, 12, 19, 10, tzinfo=UTC),
          dt.datetime(2027, 1, 2, 18, tzinfo=UTC)]
    ids = [receive_at(when, channel="web", email=f"p{n}@example.org", chosen_service="waste.missed_bin",
                    body="black bin not emptied, 12 Elm Road WR14 3AB").case.id for n, when in enumerate(at)]
    third = reload(ids[-1])
    assert (third.status, third.disposition) == ("open", "escalated")
    assert "missed collection number 3" in outbound(third.id)[0]


def test_duplicate_pothole_is_found_however_many_older_reports_the_area_has(app):
    _filler(510, service="roads.pothole", postcode="WR14 4AA", at=dt.datetime(2026, 11, 1, tzinfo=UTC))
    first = receive_at(dt.datetime(2026, 12, 3, 9, tzinfo=UTC), channel="web", email="a@example.org",
                     body="big pothole outside 4 Church Street WR14 3AB").case
    again = receive_at(dt.datetime(2026, 12, 5, 9, tzinfo=UTC), channel="web", email="b@example.org",
                     body="pothole on church st WR14 3XY").case
    first, again = reload(first.id), reload(again.id)
    assert first.location_key == "WR14 3|church street"
    assert again.duplicate_of_id == first.id


def _decided_not_logged(at: dt.datetime, body: str, service: str, n: int):
    """A report received and triaged, its log job not yet run (queued behind other work)."""
    got = receive_contact(channel="web", body=body, email=f"q{n}@example.org", chosen_service=service)
    got.message.created_at = got.case.created_at = at
    get_session().commit()
    take_new()
    triage_case(got.case.id)
    get_session().commit()
    take_new()  # the log job stays queued
    return reload(got.case.id)


def test_a_report_decided_before_the_first_one_is_logged_is_still_linked_to_it(app):
    """The decision stores the report's place and link; the log job only records it."""
    day = dt.datetime(2026, 12, 5, 10, tzinfo=UTC)
    first = _decided_not_logged(day, "my black bin wasn't emptied, 12 Elm Road WR14 3AB", "waste.missed_bin", 0)
    assert (first.address_key, first.collection_date, first.duplicate_of_id) == \
        ("12 elm road|WR14 3AB", dt.date(2026, 12, 4), None)
    assert "missed_bin_logged" not in kinds(first.id)
    again = _decided_not_logged(day + dt.timedelta(hours=1), "grey bin not emptied 12 elm rd WR14 3AB",
                                "waste.missed_bin", 1)
    assert again.duplicate_of_id == first.id and again.address_key == first.address_key

    pothole = _decided_not_logged(day, "big pothole outside 4 Church Street WR14 3AB", "roads.pothole", 2)
    assert (pothole.location_key, pothole.duplicate_of_id) == ("WR14 3|church street", None)
    nearby = _decided_not_logged(day + dt.timedelta(minutes=5), "deep pothole on Church St WR14 3AD",
                                 "roads.pothole", 3)
    assert nearby.duplicate_of_id == pothole.id
