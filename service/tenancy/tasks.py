"""Tenancy tasks (thin: the work is in tenancy.services)."""

from __future__ import annotations

from celery import shared_task

from tenancy.services import members_standby_sync


@shared_task(
    name="tenancy.standby_sync",
    soft_time_limit=40,
    time_limit=50,
    max_retries=0,  # the next run is the retry
)
def standby_sync() -> dict[str, int]:
    """Retry the standby pool for members it has yet to match (safe to repeat)."""
    synced, pending = members_standby_sync()
    return {"synced": synced, "pending": pending}
