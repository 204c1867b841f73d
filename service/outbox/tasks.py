"""Outbox tasks (thin: the work is in outbox.services)."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task

from outbox.dispatch import pending_tasks_dispatch
from outbox.services import outbox_prune_published, outbox_publish_pending

RETENTION = timedelta(days=7)


@shared_task(
    name="outbox.publish_pending",
    soft_time_limit=40,
    time_limit=50,
    max_retries=0,  # the next minute's run is the retry
)
def publish_pending() -> dict[str, int]:
    """Publish pending events (idempotent: published rows are never sent again by design)."""
    report = outbox_publish_pending()
    return {"published": report.published, "failed": report.failed}


@shared_task(
    name="outbox.prune_published",
    soft_time_limit=60,
    time_limit=70,
    autoretry_for=(Exception,),
    max_retries=3,
    retry_backoff=10,
)
def prune_published() -> int:
    """Delete old published events (idempotent: deleting twice deletes nothing more)."""
    return outbox_prune_published(older_than=RETENTION)


@shared_task(
    name="outbox.dispatch_tasks",
    soft_time_limit=20,
    time_limit=30,
    max_retries=0,  # Beat runs it again in TASK_DISPATCH_SECONDS
)
def dispatch_tasks() -> int:
    """Send recorded tasks that Redis never got or lost (idempotent: tasks run once)."""
    return pending_tasks_dispatch()
