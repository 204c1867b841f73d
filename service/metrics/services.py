"""Reading each Celery queue's backlog from the Redis broker and publishing it to CloudWatch,
with the tasks that failed or were retried since the last publish.

Kombu's Redis transport keeps a queue as a list under `<REDIS_KEY_PREFIX><queue>`: producers
LPUSH, workers BRPOP, so the oldest waiting message is the list's last element. Celery messages
carry no send time, so pcs.celery stamps one in the `pcs_enqueued_at` header (epoch seconds) on
every publish; a message without it (sent by an older release) counts in the depth, not the age.

Beat publishes, every minute (pcs.beat), not the worker being measured: a saturated worker
stops running tasks exactly when the backlog grows. Workers count their failed and retried tasks
in a Redis hash (pcs.celery's signals, no AWS call on the task path); each publish takes and
resets the counts.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

import boto3
import redis
from botocore.config import Config
from django.conf import settings

from pcs.queues import ENQUEUED_AT_HEADER, Queue

logger = logging.getLogger(__name__)

QUEUE_DEPTH = "QueueDepth"
OLDEST_TASK_AGE = "OldestTaskAgeSeconds"
# Task outcomes the workers count (TaskEvent) and the metric each is published as.
TASK_EVENT_METRICS = {"failed": "TasksFailed", "retried": "TasksRetried"}
SERVICE_DIMENSION = "Service"


@dataclass(frozen=True)
class QueueBacklog:
    """One queue's waiting messages and how long its oldest has waited (None: unknown/empty)."""

    queue: str
    depth: int
    oldest_age_seconds: float | None


@cache
def broker_client() -> redis.Redis:
    """A client on the broker (same URL, TLS and AUTH as Celery's), created once per process."""
    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=5, socket_timeout=5)


@cache
def cloudwatch_client() -> Any:
    """The CloudWatch client (task role credentials), bounded so a stall cannot eat the task."""
    config = Config(connect_timeout=5, read_timeout=10, retries={"max_attempts": 3})
    return boto3.client("cloudwatch", region_name=settings.AWS_REGION, config=config)


def _enqueued_at(raw: bytes | None) -> float | None:
    if raw is None:
        return None
    try:
        stamp = json.loads(raw).get("headers", {}).get(ENQUEUED_AT_HEADER)
        return float(stamp) if stamp is not None else None
    except (ValueError, TypeError, AttributeError):
        return None


def task_events_key() -> str:
    """The Redis hash of task outcomes counted since the last publish."""
    return f"{settings.REDIS_KEY_PREFIX}task-events"


def task_event_count(event: str, *, client: redis.Redis | None = None) -> None:
    """Count one task outcome (``failed`` or ``retried``) for the next publish."""
    if event not in TASK_EVENT_METRICS:
        raise ValueError(f"task event {event!r} is not one of {sorted(TASK_EVENT_METRICS)}")
    (client or broker_client()).hincrby(task_events_key(), event, 1)


def task_events_take(*, client: redis.Redis) -> dict[str, int]:
    """The counts since the last take, and reset them (one MULTI: no count is lost or doubled)."""
    pipeline = client.pipeline(transaction=True)
    pipeline.hgetall(task_events_key())
    pipeline.delete(task_events_key())
    counts, _ = pipeline.execute()
    taken = {key.decode(): int(value) for key, value in counts.items()}
    return {event: taken.get(event, 0) for event in TASK_EVENT_METRICS}


def queue_backlogs_read(*, client: redis.Redis, now: float) -> list[QueueBacklog]:
    """Depth and oldest-message age of every queue in :class:`pcs.queues.Queue`."""
    pipeline = client.pipeline(transaction=False)
    for queue in Queue:
        key = f"{settings.REDIS_KEY_PREFIX}{queue.value}"
        pipeline.llen(key)
        pipeline.lindex(key, -1)
    replies = pipeline.execute()
    backlogs = []
    for index, queue in enumerate(Queue):
        depth, oldest = replies[2 * index], replies[2 * index + 1]
        enqueued_at = _enqueued_at(oldest)
        age = max(0.0, now - enqueued_at) if enqueued_at is not None else None
        backlogs.append(QueueBacklog(queue=queue.value, depth=depth, oldest_age_seconds=age))
    return backlogs


def _metric_data(
    backlogs: list[QueueBacklog], events: dict[str, int], *, service: str, now: float
) -> list[dict]:
    """Totals over all queues (the alarms' and scaling policy's contract): one datapoint each,
    then the failed and retried tasks since the last publish (0 when none).

    The age is 0 when nothing waits, and left out when messages wait but none has a stamp.
    """
    timestamp = datetime.fromtimestamp(now, tz=UTC)
    dimensions = [{"Name": SERVICE_DIMENSION, "Value": service}]
    depth = sum(backlog.depth for backlog in backlogs)
    data = [
        {
            "MetricName": QUEUE_DEPTH,
            "Dimensions": dimensions,
            "Timestamp": timestamp,
            "Value": float(depth),
            "Unit": "Count",
        }
    ]
    ages = [b.oldest_age_seconds for b in backlogs if b.oldest_age_seconds is not None]
    if ages or depth == 0:
        data.append(
            {
                "MetricName": OLDEST_TASK_AGE,
                "Dimensions": dimensions,
                "Timestamp": timestamp,
                "Value": round(max(ages, default=0.0), 3),
                "Unit": "Seconds",
            }
        )
    data.extend(
        {
            "MetricName": TASK_EVENT_METRICS[event],
            "Dimensions": dimensions,
            "Timestamp": timestamp,
            "Value": float(count),
            "Unit": "Count",
        }
        for event, count in events.items()
    )
    return data


def queue_metrics_publish(
    *, client: redis.Redis | None = None, cloudwatch: Any = None, now: float | None = None
) -> list[QueueBacklog]:
    """Read every queue's backlog and put the totals to CloudWatch; return what was read.

    Without QUEUE_METRICS_NAMESPACE / QUEUE_METRICS_SERVICE (local runs, tests) it only logs.
    """
    now = time.time() if now is None else now
    client = client or broker_client()
    backlogs = queue_backlogs_read(client=client, now=now)
    namespace, service = settings.QUEUE_METRICS_NAMESPACE, settings.QUEUE_METRICS_SERVICE
    summary = {b.queue: (b.depth, b.oldest_age_seconds) for b in backlogs}
    if not namespace or not service:
        logger.info("queue metrics (not published, no namespace/service set): %s", summary)
        return backlogs
    events = task_events_take(client=client)
    try:
        (cloudwatch or cloudwatch_client()).put_metric_data(
            Namespace=namespace,
            MetricData=_metric_data(backlogs, events, service=service, now=now),
        )
    except Exception:
        # Counted again for the next publish: a failed put loses no failure.
        for event, count in events.items():
            if count:
                client.hincrby(task_events_key(), event, count)
        raise
    logger.info("queue metrics published to %s for %s: %s %s", namespace, service, summary, events)
    return backlogs
