"""Queue metrics task (thin: the work is in metrics.services)."""

from __future__ import annotations

from celery import shared_task

from metrics.services import queue_metrics_publish


@shared_task(
    name="metrics.publish_queue_backlog",
    soft_time_limit=20,
    time_limit=30,
    max_retries=0,  # the next minute's run is the retry; a late datapoint is worth nothing
)
def publish_queue_backlog() -> dict[str, int]:
    """Publish QueueDepth and OldestTaskAgeSeconds (idempotent: a datapoint per minute)."""
    return {backlog.queue: backlog.depth for backlog in queue_metrics_publish()}
