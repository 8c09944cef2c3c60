"""RQ on Redis: queues, retries and the give-up callback, set from the task registry."""
from __future__ import annotations

from functools import lru_cache

from flask import current_app
from redis import Redis
from rq import Callback, Queue, Retry

from hub.jobs.models import OutboxJob
from hub.jobs.registry import QUEUES, TASKS


@lru_cache(maxsize=8)
def _redis(url: str) -> Redis:
    return Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)


def connection() -> Redis:
    return _redis(current_app.config["HUB_SETTINGS"].redis_url)


def queue(name: str) -> Queue:
    return Queue(name, connection=connection())


def all_queues() -> list[Queue]:
    return [queue(name) for name in QUEUES]


def send(job_ids: list[int]) -> None:
    from hub.db import get_session

    sess = get_session()
    for job_id in job_ids:
        job = sess.get(OutboxJob, job_id)
        if job is None:
            continue
        spec = TASKS[job.task]
        retry = Retry(max=len(spec.retry_intervals), interval=list(spec.retry_intervals)) if spec.retry_intervals else None
        queue(spec.queue).enqueue(
            "hub.jobs.runner.run",
            job_id,
            job_id=f"hub-outbox-{job_id}-{job.attempts}",
            job_timeout=spec.timeout,
            retry=retry,
            on_failure=Callback("hub.jobs.runner.on_rq_failure"),
            failure_ttl=7 * 24 * 3600,
        )
