"""Benchmark: the signed SMS webhook against a minimal Flask endpoint on the same database.

Both apps are served the same way (gunicorn, sync workers, 127.0.0.1) on the same
PostgreSQL database. The driver sends requests at a steady rate (open loop: a slow answer
does not slow the sender down, as with Twilio) and then as fast as a few concurrent senders
can (closed loop), bounded by a count and a time limit. It prints the median and 95th
percentile answer times and messages per second of each, and the ratio, which is the
figure that matters: what the hub's checks and bookkeeping cost over storing one row.

    python bench/sms_webhook.py [--rate 10] [--count 400] [--seconds 60] [--workers 2]
                                [--redis-url redis://127.0.0.1:6379/4]

With --redis-url, triage jobs go to RQ (the production shape; no worker runs, the queues
are emptied afterwards); without it they run in-process inside each request.
"""
from __future__ import annotations

import argparse
import http.client
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOKEN = "bench-auth-token"
TEXTS = [
    "The street light outside 12 Church Street WR14 3AB is out",
    "Dog barking all night next door WR1 1AB",
    "BIN WR14 3AB",
    "There is a big pothole on the main road near WR1 1AB",
    "I need to pay my council tax",
    "Someone has dumped a mattress in the lane WR14 3AB",
]


def make_baseline():  # type: ignore[no-untyped-def]
    """The yardstick: a Flask endpoint that stores one row per request and answers."""
    from flask import Flask, request
    from sqlalchemy import create_engine, text

    app = Flask("baseline")
    engine = create_engine(os.environ["DATABASE_URL"], pool_size=5)

    @app.post("/store")
    def store():  # type: ignore[no-untyped-def]
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO bench_row (sid, body) VALUES (:s, :b)"),
                         {"s": request.form["MessageSid"], "b": request.form.get("Body", "")})
        return "<Response/>", 200, {"Content-Type": "text/xml"}

    return app


def prepare_database(admin_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"
    from hub import create_app
    from hub.db import get_session
    from hub.migrate import upgrade
    from hub.partnership.service import load

    app = create_app({"HUB_ENV": "test", "SECRET_KEY": secrets.token_hex(16), "DATABASE_URL": url})
    with app.app_context():
        upgrade("head")
        load(app.config["HUB_SETTINGS"].partnership_path)
        get_session().commit()
    app.extensions["hub.engine"].dispose()
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE bench_row (id serial PRIMARY KEY, sid varchar(64) UNIQUE, body text, "
                          "created_at timestamptz DEFAULT now())"))
    engine.dispose()
    return url


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(target: str, port: int, env: dict[str, str], workers: int) -> subprocess.Popen:
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    # The apps' own logs (one INFO line per contact) would drown the figures.
    proc = subprocess.Popen([gunicorn, "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning",
                             "--chdir", str(ROOT), target], env={**os.environ, **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit(f"{target} did not start on port {port}")


def signed_request(port: int, path: str, public: str, n: int) -> tuple[dict[str, str], dict[str, str]]:
    from twilio.request_validator import RequestValidator

    params = {"MessageSid": "SM" + uuid.uuid4().hex, "AccountSid": "AC" + "0" * 32,
              "From": f"+4477009{n % 100000:05d}", "To": "+447700900100", "Body": TEXTS[n % len(TEXTS)]}
    signature = RequestValidator(TOKEN).compute_signature(public + path, params)
    return params, {"X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"}


def post(port: int, path: str, params: dict[str, str], headers: dict[str, str]) -> tuple[float, int]:
    """One request on a fresh connection (as Twilio makes them); returns (seconds, status)."""
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", path, body=urlencode(params), headers=headers)
        resp = conn.getresponse()
        resp.read()
        return time.perf_counter() - start, resp.status
    except OSError:
        return time.perf_counter() - start, 0
    finally:
        conn.close()


def run(port: int, path: str, public: str, *, rate: float | None, count: int, seconds: float,
        concurrency: int) -> dict[str, float]:
    """Open loop at `rate` per second, or closed loop with `concurrency` senders when rate is None."""
    prepared = [signed_request(port, path, public, n) for n in range(count)]
    results: list[tuple[float, int]] = []
    lock = threading.Lock()
    start = time.perf_counter()

    def one(i: int) -> None:
        got = post(port, path, *prepared[i])
        with lock:
            results.append(got)

    with ThreadPoolExecutor(max_workers=64 if rate else concurrency) as pool:
        for i in range(count):
            if time.perf_counter() - start > seconds:
                break
            if rate:
                delay = start + i / rate - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
            pool.submit(one, i)
    elapsed = time.perf_counter() - start
    times = sorted(t for t, status in results if status == 200)
    if not times:
        raise SystemExit(f"no successful answers from {path}: statuses {sorted({s for _, s in results})}")
    return {"sent": len(results), "ok": len(times), "median_ms": statistics.median(times) * 1000,
            "p95_ms": times[max(0, int(len(times) * 0.95) - 1)] * 1000, "per_s": len(times) / elapsed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=10.0, help="steady requests per second")
    parser.add_argument("--count", type=int, default=400, help="requests per run")
    parser.add_argument("--seconds", type=float, default=60.0, help="time limit per run")
    parser.add_argument("--concurrency", type=int, default=4, help="senders in the as-fast-as-possible run")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers for each app")
    parser.add_argument("--pg-admin", default=os.environ.get("HUB_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--database", default="hub_bench_sms")
    parser.add_argument("--redis-url", default=None, help="send jobs to RQ on this Redis (emptied after)")
    args = parser.parse_args()

    url = prepare_database(args.pg_admin, args.database)
    hub_port, base_port = free_port(), free_port()
    public = f"http://127.0.0.1:{hub_port}"
    env = {"DATABASE_URL": url, "HUB_ENV": "production", "SECRET_KEY": "bench-" + uuid.uuid4().hex,
           "TWILIO_AUTH_TOKEN": TOKEN, "HUB_PUBLIC_URL": public}
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    else:
        env.pop("REDIS_URL", None)
        os.environ.pop("REDIS_URL", None)
    servers = [serve("hub:create_app()", hub_port, env, args.workers),
               serve("bench.sms_webhook:make_baseline()", base_port, {"DATABASE_URL": url}, args.workers)]
    try:
        mode = f"jobs on RQ ({args.redis_url})" if args.redis_url else "jobs in-process"
        print(f"gunicorn -w {args.workers}, PostgreSQL, {mode}; {args.count} requests or {args.seconds:.0f} s per run")
        rows = []
        for label, rate in ((f"steady {args.rate:g}/s", args.rate), (f"flat out x{args.concurrency}", None)):
            post(hub_port, "/healthz", {}, {})  # warm both apps up
            hub = run(hub_port, "/channels/sms/twilio", public, rate=rate, count=args.count,
                      seconds=args.seconds, concurrency=args.concurrency)
            base = run(base_port, "/store", f"http://127.0.0.1:{base_port}", rate=rate, count=args.count,
                       seconds=args.seconds, concurrency=args.concurrency)
            rows.append((label, hub, base))
        print(f"{'run':<16}{'endpoint':<22}{'ok/sent':>10}{'median ms':>11}{'p95 ms':>9}{'msg/s':>8}")
        for label, hub, base in rows:
            for name, r in (("SMS webhook", hub), ("store one row", base)):
                print(f"{label:<16}{name:<22}{r['ok']:>5.0f}/{r['sent']:<4.0f}{r['median_ms']:>11.1f}"
                      f"{r['p95_ms']:>9.1f}{r['per_s']:>8.1f}")
            print(f"{label:<16}{'ratio hub/baseline':<22}{'':>10}{hub['median_ms'] / base['median_ms']:>10.1f}x"
                  f"{hub['p95_ms'] / base['p95_ms']:>8.1f}x{hub['per_s'] / base['per_s']:>7.2f}x")
    finally:
        for proc in servers:
            proc.terminate()
            proc.wait(10)
        if args.redis_url:
            from redis import Redis

            Redis.from_url(args.redis_url).flushdb()


if __name__ == "__main__":
    main()
