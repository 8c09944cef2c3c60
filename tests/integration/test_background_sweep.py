"""The embedded set-up sweeps for itself: no Redis, no worker, no cron (in-process jobs)."""
from __future__ import annotations

import datetime as dt
import time

from sqlalchemy import select

from fixtures.app import TEST_ENV
from hub.cases import queries
from hub.cases.service import receive_contact
from hub.db import get_session, utcnow
from hub.jobs.background import Sweeper, tick
from hub.jobs.dispatch import commit_and_dispatch, take_new
from hub.jobs.models import OutboxJob


def _waiting_case_past_the_timeout(phone: str) -> int:
    """A case asked for its location 49 hours ago and never answered."""
    got = receive_contact(channel="sms", body="street light out on my road", phone=phone)
    commit_and_dispatch()
    case = _reload(got.case.id)
    assert case.status == "needs_info"
    old = utcnow() - dt.timedelta(hours=49)
    case.details = {**case.details, "asked_at": old.isoformat()}
    case.updated_at = old
    get_session().commit()
    return case.id


def _job_left_behind(body: str) -> tuple[int, int]:
    """A contact committed, then the process died before running its triage job."""
    got = receive_contact(channel="web", body=body)
    get_session().commit()
    take_new()
    job = get_session().scalars(select(OutboxJob).where(OutboxJob.case_id == got.case.id)).one()
    job.created_at = utcnow() - dt.timedelta(minutes=5)
    get_session().commit()
    return got.case.id, job.id


def _reload(case_id: int):
    get_session().expire_all()
    return queries.get_case(case_id)


def test_tick_escalates_unanswered_cases_and_runs_left_behind_jobs(app):
    stale = _waiting_case_past_the_timeout("+447700900251")
    left, job_id = _job_left_behind("street light out on my road WR1 1AB")
    assert tick(app) == (1, 1)
    case = _reload(stale)
    assert (case.status, case.disposition) == ("open", "escalated")
    assert _reload(left).status != "new"  # triaged at last
    assert get_session().get(OutboxJob, job_id).status == "done"
    assert tick(app) == (0, 0)  # nothing more to do


def test_serve_sweeper_runs_at_start_and_stops(app):
    stale = _waiting_case_past_the_timeout("+447700900252")
    sweeper = Sweeper(app, interval=0.05).start()
    try:
        deadline = time.monotonic() + 20
        while _reload(stale).status == "needs_info" and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        sweeper.stop()
    assert not sweeper.running
    assert _reload(stale).status == "open"


def test_hub_serve_sweeps_without_a_cron(database_url, new_app):
    """The real `hub serve` in its own process, no REDIS_URL: the stale case is escalated."""
    import os
    import socket
    import subprocess
    import sys

    app = new_app(database_url)
    with app.app_context():
        stale = _waiting_case_past_the_timeout("+447700900253")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update(TEST_ENV, DATABASE_URL=database_url)
    server = subprocess.Popen([sys.executable, "-m", "flask", "--app", "hub", "serve", "--port", str(port)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        with app.app_context():
            deadline = time.monotonic() + 60
            while _reload(stale).status == "needs_info" and time.monotonic() < deadline and server.poll() is None:
                time.sleep(0.2)
            assert _reload(stale).status == "open", "hub serve did not sweep"
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "swept every minute" in output
