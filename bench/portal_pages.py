"""How fast the portal answers at the server, with the demo partnership and demo data.

Target: the start page and a journey page each under 50 ms median. Run from the project
root: `.venv/bin/python bench/portal_pages.py [--requests N] [--database-url URL]`.
Without a database URL it builds a fresh SQLite database from the migrations, loads the
demo partnership and runs the demo seed, so the figures include a realistic case table.
"""
from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_MS = 50.0


def _prepare(database_url: str) -> None:
    from hub import create_app
    from hub.db import get_session
    from hub.demo.seed import seed
    from hub.migrate import upgrade
    from hub.partnership.service import load

    app = create_app({"HUB_ENV": "test", "SECRET_KEY": secrets.token_hex(16), "DATABASE_URL": database_url})
    with app.app_context():
        upgrade("head")
        load(app.config["HUB_SETTINGS"].partnership_path)
        get_session().commit()
        for _ in seed():
            pass
        get_session().commit()
    app.extensions["hub.engine"].dispose()


def _time(client, path: str, n: int) -> list[float]:  # type: ignore[no-untyped-def]
    for _ in range(5):  # warm up: template compilation, first connection
        assert client.get(path).status_code == 200, path
    timings = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, path
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    from hub import create_app

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        if not args.database_url:
            _prepare(url)
        app = create_app({"HUB_ENV": "test", "SECRET_KEY": secrets.token_hex(16), "DATABASE_URL": url})
        client = app.test_client()
        client.get("/report/missed_bin")  # a journey page needs the journey started in the session
        pages = {"start page /": "/", "search /?q=bin": "/?q=bin+not+emptied",
                 "journey page /report/missed_bin/postcode": "/report/missed_bin/postcode",
                 "service page /services/roads.pothole": "/services/roads.pothole"}
        failed = False
        print(f"portal pages, {args.requests} requests each, at the server (Flask test client), {url.split(':')[0]}")
        for label, path in pages.items():
            timings = _time(client, path, args.requests)
            median = statistics.median(timings)
            p95 = statistics.quantiles(timings, n=20)[-1]
            verdict = "ok" if median < TARGET_MS else "SLOW"
            failed |= median >= TARGET_MS and label.startswith(("start", "journey"))
            print(f"  {label:45s} median {median:6.2f} ms  p95 {p95:6.2f} ms  [{verdict}]")
        app.extensions["hub.engine"].dispose()
    print(f"target: start page and journey page median < {TARGET_MS:.0f} ms -> {'FAILED' if failed else 'met'}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
