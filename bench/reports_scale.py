"""Do the managers' reports stay under a second with a million contacts? (PostgreSQL)

Creates a scratch database (hub_bench_reports) with the real migrations and the demo
partnership, seeds one million contacts over two years with INSERT ... SELECT
generate_series, then times each report page and CSV through the Flask test client
(server side, median of a few runs) next to the bare SQL aggregate it rests on, for an
admin (all councils) and a manager of one council, on the default window (12 weeks by
week) and on one-year windows (by month and by week): every one must be under a second.
A three-year window (the longest the filters allow) is timed too, for information only.
The bare SQL runs with the server's planner settings, not the report transactions' own
(hub.reports.queries.prepare), so a page can beat its bare aggregate.
The database is dropped at the end unless --keep; --reuse skips seeding when a kept
database is there (it still migrates it to head, so a new migration's backfill runs on it).

    /work/main/.venv/bin/python bench/reports_scale.py [--contacts 1000000] [--runs 5] [--keep] [--reuse]
"""
from __future__ import annotations

import argparse
import datetime as dt
import re
import secrets
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

import psycopg
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DB = "hub_bench_reports"
URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{DB}"
PASSWORD = "bench-password-123"

SEED_CITIZENS = "INSERT INTO citizen (name, sms_opted_out, created_at, updated_at) " \
                "SELECT 'Bench ' || g, false, now(), now() FROM generate_series(1, :n) g"

# One row per contact: a service (with its workflow and council tier), a channel, and outcomes
# drawn at random with plausible shares. District services go to MHDC, WCITY or the
# non-partner WYCH (signposted); county services to WCC; general enquiries to the HUB.
SEED_CASES = """
WITH draw AS (
  SELECT g, random() AS r_ch, random() AS r_svc, random() AS r_auth, random() AS r_ss, random() AS r_disp,
         random() AS r_resp, random() AS r_res, 1 + floor(random() * :citizens)::int AS citizen_id,
         now() - random() * interval '730 days' AS created
  FROM generate_series(1, :n) g
), svc AS (
  SELECT d.*,
    (ARRAY['web','web','web','sms','email','email','api','phone','phone','face_to_face'])[1 + floor(r_ch * 10)::int] AS channel,
    (ARRAY['waste.bin_day','waste.missed_bin','council_tax.payment','roads.pothole','general.enquiry','social_care.adult'])[1 + floor(r_svc * 6)::int] AS service_code
  FROM draw d
), routed AS (
  SELECT s.*,
    CASE service_code WHEN 'waste.bin_day' THEN 'bin_day' WHEN 'waste.missed_bin' THEN 'missed_bin'
         WHEN 'council_tax.payment' THEN 'faq' WHEN 'roads.pothole' THEN 'street_report' END AS workflow,
    CASE WHEN service_code IN ('roads.pothole', 'social_care.adult') THEN 'WCC'
         WHEN service_code = 'general.enquiry' THEN 'HUB'
         ELSE (ARRAY['MHDC','WCITY','WYCH'])[1 + floor(r_auth * 3)::int] END AS authority_code
  FROM svc s
), decided AS (
  SELECT r.*,
    CASE WHEN authority_code = 'WYCH' THEN 'signposted'
         WHEN workflow IS NOT NULL AND channel IN ('web','sms','email','api') AND r_ss < 0.6 THEN 'self_served'
         WHEN r_disp < 0.05 THEN 'urgent' WHEN r_disp < 0.10 THEN 'needs_info' ELSE 'escalated' END AS disposition
  FROM routed r
)
INSERT INTO "case" (reference, channel, citizen_id, service_code, authority_code, disposition, status, priority,
                    triage, workflow, sla_due_at, first_response_at, resolved_at, self_served, details,
                    created_at, updated_at)
SELECT 'B' || lpad(g::text, 10, '0'), channel, citizen_id, service_code, authority_code, disposition,
  CASE WHEN disposition IN ('self_served', 'signposted') OR r_res < 0.7 THEN 'resolved'
       WHEN disposition = 'needs_info' THEN 'needs_info' ELSE 'open' END,
  2, '{}', workflow,
  CASE WHEN disposition IN ('escalated', 'urgent') THEN created + interval '24 hours' END,
  CASE WHEN disposition IN ('escalated', 'urgent') AND r_resp < 0.8 THEN created + r_resp * interval '40 hours' END,
  CASE WHEN disposition IN ('self_served', 'signposted') THEN created
       WHEN r_res < 0.7 THEN created + (1 + r_res * 100) * interval '1 hour' END,
  disposition = 'self_served', '{}', created, created
FROM decided
"""

SEED_EVENTS = """
INSERT INTO case_event (case_id, at, actor, kind, reason, data)
SELECT id, created_at, 'system', 'transferred', 'Bench transfer',
       json_build_object('authority_from', 'WCC', 'authority_to', authority_code)
FROM "case" WHERE id % 100 = 0 AND authority_code <> 'WCC'
UNION ALL
SELECT id, created_at, 'system', 'escalated',
       (ARRAY['No collection record for this address','Reported as dangerous','Citizen asked for a person'])[1 + id % 3],
       '{}'::json
FROM "case" WHERE workflow IS NOT NULL AND disposition = 'escalated' AND id % 4 = 0
"""

# The bare aggregate each report rests on (its heaviest query), written by hand.
BARE = {
    "channel_shift": """SELECT to_char(date_trunc(:unit, timezone('Europe/London', created_at)), 'YYYY-MM-DD'),
                               authority_code, channel, count(*), sum(CASE WHEN self_served THEN 1 ELSE 0 END)
                        FROM "case" WHERE created_at >= :s AND created_at < :e {scope} GROUP BY 1, 2, 3""",
    "service_performance": """SELECT service_code, workflow, count(*), sum(CASE WHEN repeat_contact THEN 1 ELSE 0 END),
                                     sum(CASE WHEN sla_due_at IS NOT NULL THEN 1 ELSE 0 END)
                              FROM "case" WHERE created_at >= :s AND created_at < :e {scope} GROUP BY 1, 2""",
    "cost_share": """SELECT authority_code, count(*), sum(CASE WHEN self_served THEN cc.self_service ELSE cc.assisted END)
                     FROM "case" c JOIN contact_cost cc ON cc.channel = c.channel
                     WHERE created_at >= :s AND created_at < :e {scope} GROUP BY authority_code""",
}
PATHS = {"channel_shift": ("/reports/", "/reports/channel-shift.csv"),
         "service_performance": ("/reports/service-performance", "/reports/service-performance.csv"),
         "cost_share": ("/reports/cost-share", "/reports/cost-share.csv")}


def timed(fn: Callable[[], Any], runs: int) -> float:
    fn()  # warm caches and the plan cache, as a live server would be
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _seeded(n: int) -> bool:
    """Whether a kept bench database with n contacts is there (for --reuse)."""
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB,)).fetchone():
            return False
    with psycopg.connect(URL.replace("+psycopg", ""), autocommit=True) as conn:
        if conn.execute("""SELECT to_regclass('"case"')""").fetchone()[0] is None:
            return False
        return conn.execute('SELECT count(*) FROM "case"').fetchone()[0] == n


def setup(n: int, reuse: bool) -> Any:
    from hub import create_app
    from hub.cases import repeats
    from hub.db import get_session
    from hub.migrate import upgrade
    from hub.partnership.service import load
    from hub.users.service import add_user

    if reuse and _seeded(n):
        app = create_app({"HUB_ENV": "test", "SECRET_KEY": secrets.token_hex(16), "DATABASE_URL": URL})
        with app.app_context():
            started = time.perf_counter()
            upgrade("head")
            print(f"reusing the kept database with {n:,} contacts (migrated to head in {time.perf_counter() - started:.1f} s)")
        _vacuum(app)
        return app
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB}"')
    app = create_app({"HUB_ENV": "test", "SECRET_KEY": secrets.token_hex(16), "DATABASE_URL": URL})
    with app.app_context():
        upgrade("head")
        load(app.config["HUB_SETTINGS"].partnership_path)
        add_user("admin@bench.example", PASSWORD, "admin", ["HUB"])
        add_user("manager@bench.example", PASSWORD, "manager", ["MHDC"])
        session = get_session()
        started = time.perf_counter()
        citizens = max(n // 5, 1)
        session.execute(text(SEED_CITIZENS), {"n": citizens})
        session.execute(text(SEED_CASES), {"n": n, "citizens": citizens})
        session.execute(text(SEED_EVENTS))
        # Bulk SQL bypasses the ORM flush that keeps repeat contacts right: the same UPDATE as
        # migration 0006r's backfill sets them.
        repeats.refresh_all(session)
        session.commit()
        seeded = time.perf_counter() - started
    _vacuum(app)
    print(f"seeded {n:,} contacts, {citizens:,} citizens in {seeded:.1f} s (then VACUUM ANALYZE)")
    return app


def _vacuum(app: Any) -> None:
    """Statistics and the visibility map, as autovacuum would leave a live database."""
    with app.extensions["hub.engine"].connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in ('"case"', "case_event", "citizen"):
            conn.execute(text(f"VACUUM ANALYZE {table}"))


def signed_in(app: Any, email: str) -> Any:
    client = app.test_client()
    page = client.get("/adviser/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/adviser/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, (email, response.status_code, response.get_data(as_text=True)[:300])
    return client


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept database of the same size (no seeding)")
    args = parser.parse_args()
    app = setup(args.contacts, args.reuse)
    today = dt.date.today()
    last_monday = today - dt.timedelta(days=today.weekday())
    year_ago = today - dt.timedelta(days=365)
    # label -> (first, last, period, held to the one-second budget)
    windows = {
        "12 weeks by week (default)": (last_monday - dt.timedelta(weeks=11), today, "week", True),
        "1 year by month": (year_ago, today, "month", True),
        "1 year by week": (year_ago, today, "week", True),
        "3 years by month (information)": (today - dt.timedelta(days=3 * 365), today, "month", False),
    }
    worst: dict[str, float] = {}
    engine = app.extensions["hub.engine"]
    try:
        # Bare SQL on its own connection; the test client pushes its own app context per request
        # (an outer app context would share `g`, and with it one client's CSRF token, between clients).
        with engine.connect() as conn:
            for who, email, scope in (("admin", "admin@bench.example", ""),
                                      ("manager MHDC", "manager@bench.example", "AND authority_code = 'MHDC'")):
                client = signed_in(app, email)
                for label, (first, last, period, budgeted) in windows.items():
                    start = dt.datetime.combine(first, dt.time(), dt.timezone.utc)
                    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), dt.timezone.utc)
                    rows = conn.execute(text(f'SELECT count(*) FROM "case" WHERE created_at >= :s AND created_at < :e {scope}'),
                                        {"s": start, "e": end}).scalar()
                    print(f"\n{who}, {label}: {first} to {last}, {rows:,} contacts in the window")
                    print(f"  {'report':<38}{'page/CSV (s)':>14}{'bare SQL (s)':>14}")
                    query = f"from={first}&to={last}&period={period}"
                    for name, (page, csv_path) in PATHS.items():
                        bare = timed(lambda: conn.execute(text(BARE[name].format(scope=scope)),
                                                          {"s": start, "e": end, "unit": period}).all(), args.runs)
                        conn.rollback()
                        for path in (page, csv_path):
                            def get() -> None:
                                response = client.get(f"{path}?{query}")
                                assert response.status_code == 200, (path, response.status_code)
                            took = timed(get, args.runs)
                            if budgeted:
                                worst[label] = max(worst.get(label, 0.0), took)
                            print(f"  {path:<38}{took:>14.3f}{bare:>14.3f}")
    finally:
        app.extensions["hub.engine"].dispose()
        if not args.keep:
            with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    print()
    for label, took in worst.items():
        print(f"slowest report, {label}: {took:.3f} s -> {'OK, under one second' if took < 1 else 'TOO SLOW'}")
    return 0 if max(worst.values()) < 1 else 1


if __name__ == "__main__":
    sys.exit(main())
