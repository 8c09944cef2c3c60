"""The sweep on a timer, for the embedded set-up (no Redis, so no worker and often no cron).

`hub sweep` re-dispatches jobs left behind and escalates cases whose citizen never
answered; with RQ, workers and a cron'd `hub sweep` do that. In-process, `hub serve` is the
only process there is, so it runs the same sweep at start and then every minute on a
daemon thread, each time inside its own app context (its own session).
"""
from __future__ import annotations

import datetime as dt
import logging
import threading

from flask import Flask

from hub.db import get_session
from hub.jobs.dispatch import commit_and_dispatch, sweep
from hub.jobs.registry import PERIODIC, resolve

log = logging.getLogger(__name__)

INTERVAL = 60  # seconds


def sweep_all(older_than: dt.timedelta = dt.timedelta(seconds=60)) -> tuple[int, int]:
    """What `hub sweep` does: re-dispatch left-behind jobs, then run the periodic checks.

    Returns (jobs re-dispatched, items the periodic checks queued).
    """
    swept = sweep(older_than=older_than)
    queued = sum(resolve(path)() or 0 for path in PERIODIC)
    commit_and_dispatch()
    return swept, queued


def tick(app: Flask) -> tuple[int, int]:
    """One sweep in its own app context; a failure is logged, never raised (the timer goes on)."""
    with app.app_context():
        try:
            swept, queued = sweep_all()
        except Exception:
            log.exception("background sweep failed")
            get_session().rollback()
            return 0, 0
        if swept or queued:
            log.info("background sweep", extra={"jobs": swept, "queued": queued})
        return swept, queued


class Sweeper:
    """Runs `tick` at once and then every ``interval`` seconds until stopped."""

    def __init__(self, app: Flask, interval: float = INTERVAL):
        self.app, self.interval = app, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="hub-sweeper", daemon=True)

    def start(self) -> "Sweeper":
        self._thread.start()
        return self

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _run(self) -> None:
        while True:
            tick(self.app)
            if self._stop.wait(self.interval):
                return
