"""Every background task the hub runs: its queue, timeout and retry policy, in one place.

Tasks are named by dotted path so that the hub core never imports a workflow's or a
channel's implementation; they are resolved when a job runs.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable

QUEUES = ("urgent", "default", "outbound")
# Slack on top of a task's own timeout before another attempt may assume it died.
LEASE_GRACE = 30  # seconds


@dataclass(frozen=True)
class TaskSpec:
    path: str  # "module:function"; the function takes the job's args as keywords
    queue: str = "default"
    timeout: int = 60  # seconds
    retry_intervals: tuple[int, ...] = (5, 30, 120)  # one retry per interval
    # Called with (job args, error text) after the last attempt failed.
    give_up: str | None = "hub.cases.service:escalate_after_failure"

    @property
    def max_attempts(self) -> int:
        return 1 + len(self.retry_intervals)

    @property
    def lease(self) -> int:
        """Seconds a "running" job belongs to the attempt that claimed it.

        RQ kills an attempt at its timeout, so after this long the attempt is dead (a
        crashed worker, a killed server) and another may claim the job.
        """
        return self.timeout + LEASE_GRACE

    @property
    def dispatch_budget(self) -> int:
        """Seconds after dispatch within which a pending job may still be queued or retrying.

        Every attempt may use its whole timeout and RQ waits the retry intervals between
        them; only after all of that is a dispatched job that is still pending left behind.
        """
        return self.timeout * self.max_attempts + sum(self.retry_intervals) + LEASE_GRACE

    def resolve(self) -> Callable[..., Any]:
        return resolve(self.path)


TASKS: dict[str, TaskSpec] = {
    "triage": TaskSpec("hub.triage.service:triage_case", queue="urgent", timeout=60),
    # Workflow effects, run after the triage decision is stored (each is safe to run twice).
    "missed_bin_log": TaskSpec("workflows.missed_bin:log_report", timeout=30),
    "street_report_log": TaskSpec("workflows.street_report:log_report", timeout=30),
    "send_message": TaskSpec("hub.messaging.service:deliver", queue="outbound", timeout=30,
                             retry_intervals=(10, 60, 300), give_up="hub.messaging.service:give_up"),
    "escalate_stale": TaskSpec("hub.triage.service:escalate_if_unanswered", timeout=30),
    # Repeat-contact flags of the cases a committed change may affect (hub.cases.repeats);
    # a reporting figure, so a failure is logged, not escalated to advisers.
    "refresh_repeats": TaskSpec("hub.cases.repeats:refresh_spans", timeout=60, give_up=None),
}


# Checks `hub sweep` (and the embedded server's timer) runs each time, by dotted path; each
# takes no arguments, queues jobs for what it finds and returns how many.
PERIODIC: tuple[str, ...] = ("hub.triage.service:escalate_stale",)


def register(name: str, spec: TaskSpec) -> None:
    """For channels and workflows that bring tasks of their own."""
    TASKS[name] = spec


def resolve(path: str) -> Callable[..., Any]:
    module, _, attr = path.partition(":")
    return getattr(importlib.import_module(module), attr)
