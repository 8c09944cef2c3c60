"""Repeat contacts are stored on each case (`repeat_contact`) and must always equal their definition.

The definition, computed here in Python from the rows: a case is a repeat when an earlier case
(created before it, or at the same instant with a lower id) of the same citizen and service was
created at most 7 days before it. Every path that changes cases must keep the stored flag equal
to it: intake and triage, an adviser re-categorising, out-of-order inserts, the demo seed's bulk
INSERT, and the migration's backfill. Runs on SQLite and PostgreSQL.
"""
from __future__ import annotations

import datetime as dt
import random
import statistics

import pytest
from sqlalchemy import create_engine, select, text

from fixtures.contacts import receive_at
from fixtures.report_data import CONTACTS, NOW, at, insert_contacts
from hub.auth.access import Scope
from hub.cases.models import Case
from hub.citizens.models import Citizen
from hub.db import get_session
from hub.jobs.dispatch import commit_and_dispatch
from hub.migrate import downgrade, upgrade
from hub.reports import queries, service

UTC = dt.timezone.utc
WEEK = dt.timedelta(days=7)


def defined() -> dict[int, bool]:
    rows = get_session().execute(select(Case.id, Case.citizen_id, Case.service_code, Case.created_at)).all()
    return {row.id: any(
        other.citizen_id == row.citizen_id and other.service_code == row.service_code
        and (other.created_at, other.id) < (row.created_at, row.id) and other.created_at >= row.created_at - WEEK
        for other in rows) if row.citizen_id is not None and row.service_code is not None else False for row in rows}


def stored() -> dict[int, bool]:
    return dict(get_session().execute(select(Case.id, Case.repeat_contact)).all())


def total(first: str, last: str, scope: Scope = Scope(frozenset(), all_councils=True)) -> dict:
    f = service.filters_from({"from": first, "to": last, "period": "week"}, scope, now=NOW)
    return queries.service_figures(f)["total"]


def test_the_hand_computed_dataset_is_stored_as_defined(report_data):
    flags = stored()
    assert flags == defined()
    # Citizen B: 2 (09:00), 3 (10:00), 4 (5 Nov) and 9 (10 Nov) about missed bins; 11 is 13 days later.
    assert [flags[report_data[k]] for k in (2, 3, 4, 9, 11)] == [False, True, True, True, False]


def test_a_repeat_through_the_normal_intake_path(app):
    first = receive_at(dt.datetime(2026, 11, 2, 9, tzinfo=UTC), channel="web", email="rep@example.org",
                       body="When is my council tax due?", chosen_service="council_tax.payment").case
    again = receive_at(dt.datetime(2026, 11, 6, 9, tzinfo=UTC), channel="email", email="rep@example.org",
                       body="Council tax payment question again", chosen_service="council_tax.payment").case
    get_session().expire_all()
    assert first.service_code == again.service_code == "council_tax.payment"
    assert (first.repeat_contact, again.repeat_contact) == (False, True)
    assert stored() == defined()
    assert (total("2026-11-02", "2026-11-08")["repeats"]) == 1


def test_an_earlier_contact_inserted_later_makes_the_later_one_a_repeat(app):
    # The later contact is stored first; the earlier one (before the report's window) arrives after.
    ids = insert_contacts({
        1: ("MHDC", "web", "waste.bin_day", "bin_day", "self_served", True, "2026-11-03 09:00", None, None, None, "A"),
    })
    assert stored() == {ids[1]: False}
    insert_contacts({
        2: ("MHDC", "web", "waste.bin_day", "bin_day", "self_served", True, "2026-10-29 09:00", None, None, None, None),
    })
    case = get_session().get(Case, ids[1])
    earlier = get_session().scalars(select(Case).where(Case.reference == "RPT00002")).one()
    earlier.citizen_id = case.citizen_id  # the citizen is recognised later: a change of citizen
    commit_and_dispatch()
    assert stored() == defined() == {ids[1]: True, earlier.id: False}
    row = total("2026-11-02", "2026-11-08")
    assert (row["contacts"], row["repeats"]) == (1, 1)


def test_an_adviser_recategorising_keeps_repeats_right(adviser_client, make_case):
    from fixtures.staff import csrf_token

    noise = make_case("WCITY", body="Loud music again")
    pothole = make_case("WCC", "roads.pothole", body="Hole in the road", postcode="WR1 1AB")
    assert noise.citizen_id == pothole.citizen_id
    assert stored() == {noise.id: False, pothole.id: False}
    client, _ = adviser_client("recat@example.org", ("WCITY", "WCC"))

    def recategorise(case_id: int, service_code: str) -> None:
        response = client.post(f"/adviser/cases/{case_id}/recategorise",
                               data={"csrf_token": csrf_token(client, "/adviser/"), "service": service_code})
        assert response.status_code == 302

    recategorise(pothole.id, "environment.noise")  # now the same service as the earlier contact
    assert stored() == defined() == {noise.id: False, pothole.id: True}
    recategorise(noise.id, "roads.pothole")  # the earlier contact moves away: no longer a repeat of it
    assert stored() == defined() == {noise.id: False, pothole.id: False}


def test_bulk_inserted_cases_are_refreshed(app):
    from hub.demo import queries as demo

    sess = get_session()
    citizen = Citizen(name="Bulk")
    sess.add(citizen)
    sess.flush()
    base = dict(channel="web", citizen_id=citizen.id, service_code="waste.bin_day", status="resolved", priority=2,
                triage={}, details={}, self_served=True, updated_at=at("2026-11-09 00:00"))
    demo.add_cases([{**base, "reference": "BULK00001", "created_at": at("2026-11-09 09:00")},
                    {**base, "reference": "BULK00002", "created_at": at("2026-11-02 09:00")}])
    sess.commit()
    assert sorted(stored().values()) == [False, True] and stored() == defined()


def test_random_changes_keep_every_flag_as_defined(app):
    """Inserts out of order, same-instant ties, exact 7-day gaps, changes of citizen, service and time."""
    rng = random.Random(20)
    sess = get_session()
    people = [Citizen(name=f"R{n}") for n in range(3)]
    sess.add_all(people)
    sess.flush()
    start = at("2026-11-01 00:00")
    instants = [start + dt.timedelta(days=rng.choice([0, 3, 7, 10, 14]), microseconds=rng.choice([0, 0, 1]))
                for _ in range(40)]
    services = ["waste.bin_day", "waste.missed_bin", None]
    for n in range(40):
        sess.add(Case(reference=f"RND{n:05d}", channel="web", status="open", created_at=instants[n],
                      citizen_id=rng.choice([p.id for p in people] + [None]), service_code=rng.choice(services)))
        if n % 5 == 4:
            commit_and_dispatch()
            assert stored() == defined()
    cases = sess.scalars(select(Case)).all()
    for step in range(30):
        case = rng.choice(cases)
        change = step % 3
        if change == 0:
            case.service_code = rng.choice(services)
        elif change == 1:
            case.citizen_id = rng.choice([p.id for p in people] + [None])
        else:
            case.created_at = rng.choice(instants)
        commit_and_dispatch()
        assert stored() == defined(), (step, change)
    assert 0 < sum(stored().values()) < len(cases)


def test_medians_of_both_measures_in_one_statement_match_the_data(report_data):
    """Per week and in total, against medians worked out here from the hand-computed dataset."""
    f = service.filters_from({"from": "2026-11-02", "to": "2026-11-29", "period": "week"},
                             Scope(frozenset(), all_councils=True), now=NOW)
    got = queries.medians(f, [("period",), ()])
    for name, column in ((("first_response", 8)), ("resolution", 9)):
        expected: dict[str, list[float]] = {}
        for row in CONTACTS.values():
            created, sla, later = row[6], row[7], row[column]
            if sla and later and "2026-11-02" <= created[:10] <= "2026-11-29":
                monday = (at(created) - dt.timedelta(days=at(created).weekday())).date().isoformat()
                expected.setdefault(monday, []).append((at(later) - at(created)).total_seconds() / 3600)
        by_period, (overall,) = got[name]
        assert [(r["period"], r["n"]) for r in by_period] == [(p, len(v)) for p, v in sorted(expected.items())]
        for r in by_period:
            assert r["median"] == pytest.approx(statistics.median(expected[r["period"]]))
        every = [hours for values in expected.values() for hours in values]
        assert (overall["n"], overall["median"]) == (len(every), pytest.approx(statistics.median(every)))


def test_the_migration_backfills_repeats_as_defined(tmp_path, new_app):
    """0006r on SQLite: ties at one instant, exactly 7 days, 7 days and a microsecond, no citizen."""
    url = f"sqlite:///{tmp_path / 'r.db'}"
    app = new_app(url)
    rows = [(1, 1, "waste.bin_day", "2026-11-01 09:00:00.000000"),
            (2, 1, "waste.bin_day", "2026-11-08 09:00:00.000000"),   # exactly 7 days after 1: repeat
            (3, 1, "waste.bin_day", "2026-11-15 09:00:00.000001"),   # 7 days and 1 µs after 2: not
            (4, 1, "waste.bin_day", "2026-11-15 09:00:00.000001"),   # same instant as 3, higher id: repeat
            (5, 1, "waste.missed_bin", "2026-11-16 09:00:00.000000"),  # another service: not
            (6, None, "waste.bin_day", "2026-11-16 09:00:00.000000"),  # no citizen: never
            (7, 2, "waste.bin_day", "2026-11-16 09:00:00.000000")]     # another citizen: not
    with app.app_context():
        upgrade("head", url)
        downgrade("0006r-1", url)
        engine = create_engine(url)
        with engine.begin() as conn:
            for citizen in (1, 2):
                conn.execute(text("INSERT INTO citizen (id, name, sms_opted_out, created_at, updated_at) "
                                  "VALUES (:id, 'C', 0, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"), {"id": citizen})
            for case_id, citizen, service_code, created in rows:
                conn.execute(text(
                    'INSERT INTO "case" (id, reference, channel, citizen_id, service_code, status, priority, triage, '
                    "details, self_served, created_at, updated_at) VALUES (:id, :ref, 'web', :citizen, :service, "
                    "'open', 2, '{}', '{}', 0, :created, :created)"),
                    {"id": case_id, "ref": f"MIGR-{case_id:04d}", "citizen": citizen, "service": service_code,
                     "created": created})
        upgrade("0006r", url)
        with engine.connect() as conn:
            flags = dict(conn.execute(text('SELECT id, repeat_contact FROM "case"')).all())
        engine.dispose()
    assert flags == {1: 0, 2: 1, 3: 0, 4: 1, 5: 0, 6: 0, 7: 0}


def test_two_transactions_at_once_still_flag_the_later_contact(pg_app):
    """Two messages from one citizen triaged by two workers at once (PostgreSQL, real
    transactions): neither sees the other's case before committing, so each case's own flag
    is computed without the other; the refresh job each commit enqueues puts it right."""
    import threading

    from hub.jobs.dispatch import commit_and_dispatch

    sess = get_session()
    citizen = Citizen(name="Race")
    sess.add(citizen)
    sess.flush()
    cases = [Case(reference=f"RACE{n}", channel="sms", status="new", citizen_id=citizen.id,
                  created_at=at("2026-11-02 09:00") + dt.timedelta(minutes=5 * n)) for n in range(2)]
    sess.add_all(cases)
    commit_and_dispatch()
    ids = [case.id for case in cases]
    barrier, errors = threading.Barrier(2, timeout=30), []

    def triage(case_id: int) -> None:
        with pg_app.app_context():
            try:
                own = get_session()
                own.get(Case, case_id).service_code = "waste.missed_bin"
                own.flush()  # this case's own flag is computed here, without the other one
                barrier.wait()  # both flushed, neither committed
                commit_and_dispatch()
            except BaseException as exc:
                errors.append(exc)

    threads = [threading.Thread(target=triage, args=(case_id,)) for case_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    get_session().expire_all()
    assert stored() == defined() == {ids[0]: False, ids[1]: True}


def test_bulk_statements_that_would_move_cases_are_refused(app):
    from sqlalchemy import delete, update

    from hub.jobs.dispatch import commit_and_dispatch

    ids = insert_contacts({1: CONTACTS[1]})
    sess = get_session()
    with pytest.raises(RuntimeError, match="repeat contacts stale"):
        sess.execute(update(Case).where(Case.id == ids[1]).values(service_code="waste.bin_day"))
    sess.rollback()
    with pytest.raises(RuntimeError, match="repeat contacts stale"):
        sess.execute(update(Case), [{"id": ids[1], "citizen_id": None}])  # bulk by primary key
    sess.rollback()
    with pytest.raises(RuntimeError, match="repeat contacts stale"):
        sess.execute(delete(Case).where(Case.id == ids[1]))
    sess.rollback()
    # Columns that do not decide repeats may still be set in bulk (the adviser queue assigns so).
    sess.execute(update(Case).where(Case.id == ids[1]).values(priority=1))
    commit_and_dispatch()
    assert sess.get(Case, ids[1]).priority == 1
