"""A Beat scheduler that fires each crontab occurrence once, even with two Beats running, and
publishes the queue metrics itself.

During a rolling deployment an old and a new Beat overlap; each takes a Redis lock keyed on the
entry name and the occurrence (the crontab minute, or the slot of an interval entry; `SET NX`
with an expiry) before sending, so only the first sends.

The queue depth, oldest age and failed/retried task counts are published from Beat's own loop
every minute (the same lock, so once per minute), not by a task the worker runs: a saturated
worker stops running tasks exactly when the backlog they measure grows.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

import redis
from celery.beat import PersistentScheduler, ScheduleEntry
from celery.schedules import crontab
from django.conf import settings

logger = logging.getLogger(__name__)

LOCK_TTL_SECONDS = 3600
QUEUE_METRICS_EVERY_SECONDS = 60
QUEUE_METRICS_LOCK = "queue-metrics"


def beat_lock_key(*, entry_name: str, fire_time: datetime) -> str:
    """The Redis key that claims one occurrence of one schedule entry."""
    return f"{settings.REDIS_KEY_PREFIX}beat-lock:{entry_name}:{fire_time:%Y%m%dT%H%M%S}"


def occurrence(entry: ScheduleEntry) -> datetime:
    """The occurrence due now: the crontab minute, or the interval's slot (epoch multiples)."""
    now = entry.schedule.now()
    if isinstance(entry.schedule, crontab):
        return now.replace(second=0, microsecond=0)
    period = entry.schedule.run_every.total_seconds()
    return datetime.fromtimestamp(now.timestamp() // period * period, tz=now.tzinfo)


def beat_occurrence_claim(*, client: redis.Redis, entry_name: str, fire_time: datetime) -> bool:
    """Claim an occurrence; True for exactly one caller per entry and minute."""
    key = beat_lock_key(entry_name=entry_name, fire_time=fire_time)
    return bool(client.set(key, "1", nx=True, ex=LOCK_TTL_SECONDS))


class LockedScheduler(PersistentScheduler):
    """PersistentScheduler that sends an entry only after winning its occurrence's lock."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        self._redis = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=5, socket_timeout=5
        )
        super().__init__(*args, **kwargs)

    _next_queue_metrics = 0.0

    def tick(self, *args: object, **kwargs: object) -> float:
        """Publish the queue metrics when a minute has passed, then run the schedule; sleep no
        longer than until the next publish."""
        if time.monotonic() >= self._next_queue_metrics:
            self._next_queue_metrics = time.monotonic() + QUEUE_METRICS_EVERY_SECONDS
            queue_metrics_publish_once(client=self._redis)
        interval = super().tick(*args, **kwargs)
        return min(interval, max(0.0, self._next_queue_metrics - time.monotonic()))

    def apply_entry(self, entry: ScheduleEntry, producer: object = None) -> None:
        """Send the entry if this Beat wins the occurrence; the loser only logs."""
        fire_time = occurrence(entry)
        try:
            won = beat_occurrence_claim(
                client=self._redis, entry_name=entry.name, fire_time=fire_time
            )
        except redis.RedisError as exc:
            # Redis is also the broker: nothing could be sent. Skip this occurrence rather than
            # crash Beat; the next one is tried normally.
            logger.error(
                "beat: %s at %s skipped, Redis unavailable: %s", entry.name, fire_time, exc
            )
            return
        if won:
            super().apply_entry(entry, producer=producer)
        else:
            logger.info("beat: %s at %s already sent by another Beat", entry.name, fire_time)


def queue_metrics_publish_once(*, client: redis.Redis, cloudwatch: object = None) -> bool:
    """Publish the queue metrics if this Beat wins this minute; never raises (Beat keeps
    scheduling when CloudWatch or Redis fails, and the missing datapoint alarms)."""
    from metrics.services import queue_metrics_publish

    minute = datetime.now(tz=UTC).replace(second=0, microsecond=0)
    try:
        if not beat_occurrence_claim(
            client=client, entry_name=QUEUE_METRICS_LOCK, fire_time=minute
        ):
            return False
        queue_metrics_publish(client=client, cloudwatch=cloudwatch)
    except Exception as error:  # Beat must not stop over one minute's datapoint
        logger.error("beat: queue metrics at %s not published: %s", minute, error)
        return False
    return True
