"""How fast `hub triage --jsonl` decides: 1,000 messages through the same code path.

Usage (from the repository root, with a migrated database and the partnership loaded):
    python bench/triage_throughput.py [N]

Builds N (default 1,000) contacts from the training set cycled with varied postcodes and
channels, runs them through `hub.triage.dryrun.run_batch` (what `hub triage --jsonl` calls)
and prints messages per second, excluding the one-off model build, which it reports too.
"""
from __future__ import annotations

import io
import itertools
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hub.app import create_app  # noqa: E402
from hub.triage.dryrun import run_batch  # noqa: E402
from hub.triage.service import pipeline  # noqa: E402

POSTCODES = ["WR14 3AB", "WR1 1AB", None, "HR1 1AA", "WR10 1XY", "B60 1AA", "WR5 2BW"]


def contacts(n: int) -> str:
    rows = [json.loads(line) for line in (ROOT / "hub" / "triage" / "data" / "train.jsonl").read_text().splitlines()
            if line.strip()]
    out = io.StringIO()
    for i, (row, postcode) in enumerate(zip(itertools.islice(itertools.cycle(rows), n), itertools.cycle(POSTCODES))):
        item = {"id": i, "text": row["text"], "channel": row["channel"], "postcode": postcode,
                "at": "2026-03-02T10:00:00+00:00"}
        out.write(json.dumps(item) + "\n")
    return out.getvalue()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    app = create_app({"HUB_ENV": "development", **{k: v for k, v in __import__("os").environ.items()}})
    with app.app_context():
        started = time.perf_counter()
        pipeline()
        built = time.perf_counter() - started
        lines = contacts(n)
        started = time.perf_counter()
        results = list(run_batch(io.StringIO(lines)))
        elapsed = time.perf_counter() - started
    assert len(results) == n and all("error" not in r for r in results)
    print(f"model ready in {built:.2f} s")
    print(f"{n} messages in {elapsed:.2f} s: {n / elapsed:.0f} messages per second")


if __name__ == "__main__":
    main()
