"""Two reports of the same fault decided at the same time: one is the first, the other is
linked to it (PostgreSQL, real concurrent transactions).

Each report's triage job runs in its own thread and app context, as two RQ workers would.
To make the race certain rather than likely, a third connection holds `case_event` in
SHARE mode: a triage job that has made its decision stops at its first event insert, before
its commit. The first job is let go that far, then the second is started, and both are
released only once both are waiting: without serialisation both would have looked for an
earlier report and found none. Either report may be decided first, the later one included.
"""
from __future__ import annotations

import datetime as dt
import threading
import time

import psycopg
import pytest
from sqlalchemy import select

from hub.cases import queries
from hub.cases.service import receive_contact
from hub.db import get_session
from hub.jobs import runner
from hub.jobs.dispatch import take_new
from hub.jobs.models import OutboxJob
from hub.triage.service import pipeline

from fixtures.contacts import kinds, outbound, reload

UTC = dt.timezone.utc
REPORTS = {
    # Same street in the same postcode sector, two different postcodes: the same place by street.
    "street_report": ("roads.pothole", dt.datetime(2026, 11, 30, 9, tzinfo=UTC),
                      ["big pothole outside 4 Church Street WR14 3AB", "deep pothole on Church St WR14 3AD"],
                      "already reported on", "street_report_logged"),
    # WR14 3 (Friday): the general waste collection of Fri 4 Dec, reported the next morning.
    "missed_bin": ("waste.missed_bin", dt.datetime(2026, 12, 5, 10, tzinfo=UTC),
                   ["my black bin wasn't emptied, 12 Elm Road WR14 3AB", "Grey bin still not emptied at 12 elm rd WR14 3AB"],
                   "is already logged", "missed_bin_logged"),
}


def _waiting(conn: psycopg.Connection) -> int:
    """Lock requests of this database's sessions that are waiting (not granted)."""
    return conn.execute("SELECT count(*) FROM pg_locks WHERE NOT granted AND database = "
                        "(SELECT oid FROM pg_database WHERE datname = current_database())").fetchone()[0]


def _until_waiting(conn: psycopg.Connection, count: int) -> None:
    deadline = time.monotonic() + 30
    while _waiting(conn) < count:
        assert time.monotonic() < deadline, f"never {count} waiting"
        time.sleep(0.05)


@pytest.mark.parametrize("decided_first", ["earlier", "later"])
@pytest.mark.parametrize("workflow", sorted(REPORTS))
def test_two_reports_of_one_fault_at_once_make_one_first_report(pg_app, pg_database_url, workflow, decided_first):
    service, at, texts, linked_words, logged = REPORTS[workflow]
    ids, jobs = [], []
    for n, text in enumerate(texts):
        got = receive_contact(channel="web", body=text, email=f"r{n}@example.org", chosen_service=service)
        got.message.created_at = got.case.created_at = at + dt.timedelta(seconds=n)  # one second apart
        get_session().commit()
        take_new()  # each triage job is run below, in its own thread
        ids.append(got.case.id)
        jobs.append(get_session().scalars(select(OutboxJob.id).where(OutboxJob.case_id == got.case.id,
                                                                     OutboxJob.task == "triage")).one())
    pipeline()  # built once here, not by two threads at once
    order = [0, 1] if decided_first == "earlier" else [1, 0]
    first_id, second_id = ids[order[0]], ids[order[1]]

    results: list = []

    def triage(job_id: int) -> None:
        with pg_app.app_context():  # its own session and transaction
            try:
                results.append(runner.run_inline(job_id))
            except BaseException as exc:  # surfaced in the main thread
                results.append(exc)

    dsn = pg_database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as watch, psycopg.connect(dsn) as blocker:
        blocker.execute("LOCK TABLE case_event IN SHARE MODE")
        threads = [threading.Thread(target=triage, args=(jobs[i],)) for i in order]
        try:
            threads[0].start()
            _until_waiting(watch, 1)  # the first has decided and waits to store its decision
            threads[1].start()
            _until_waiting(watch, 2)  # the second waits too (for the first, or to store its own)
        finally:
            blocker.commit()
            for thread in threads:
                thread.join(60)
    assert not any(t.is_alive() for t in threads)
    assert results == ["done", "done"], results

    first, second = reload(first_id), reload(second_id)
    assert first.duplicate_of_id is None
    assert second.duplicate_of_id == first.id
    assert logged in kinds(first.id) and "linked_duplicate" not in kinds(first.id)
    assert "linked_duplicate" in kinds(second.id) and logged not in kinds(second.id)
    assert kinds(first.id).count("duplicate_linked") == 1
    [reply] = outbound(second.id)
    assert linked_words in reply and f"(ref {first.reference})" in reply


def test_other_places_do_not_wait_for_each_other(pg_app):
    """The lock is per service and place: a report elsewhere, or of another service, goes ahead."""
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    queries.lock_report_place("roads.pothole", "WR14 3")  # held by this test's transaction
    outcomes: dict[tuple[str, str], str] = {}

    def other_job() -> None:
        with pg_app.app_context():  # another session, as another worker's job
            for service, place in (("roads.pothole", "WR14 4"), ("roads.street_light", "WR14 3"),
                                   ("roads.pothole", "WR14 3")):
                get_session().execute(text("SET LOCAL lock_timeout = '1s'"))
                try:
                    queries.lock_report_place(service, place)
                    outcomes[(service, place)] = "went ahead"
                except OperationalError:
                    outcomes[(service, place)] = "waited"
                get_session().rollback()

    thread = threading.Thread(target=other_job)
    thread.start()
    thread.join(30)
    get_session().rollback()
    assert outcomes == {("roads.pothole", "WR14 4"): "went ahead", ("roads.street_light", "WR14 3"): "went ahead",
                        ("roads.pothole", "WR14 3"): "waited"}


def test_on_sqlite_the_place_lock_is_the_write_lock(sqlite_template, tmp_path, new_app):
    """One writer at a time: the lock takes SQLite's write lock before the lookup, not at the insert."""
    import shutil
    import sqlite3

    path = tmp_path / "hub.db"
    shutil.copyfile(sqlite_template, path)
    with new_app(f"sqlite:///{path}").app_context():
        queries.lock_report_place("roads.pothole", "WR14 3")
        other = sqlite3.connect(path, timeout=0)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            get_session().rollback()  # the decision's transaction ends: the next may go
            other.execute("BEGIN IMMEDIATE")
            other.rollback()
        finally:
            other.close()
