"""Every Beat schedule, in one module: crontab, except the task dispatcher's short interval.

Interval schedules restart with each deploy: harmless for the dispatcher, which runs every few
seconds, and wrong for anything that must run at a time of day.
"""

from datetime import timedelta

from celery.schedules import crontab, schedule


def beat_schedule(*, task_dispatch_seconds: float) -> dict[str, dict]:
    """The schedule; the dispatcher's interval comes from settings (tests shorten it)."""
    return {
        "outbox-publish": {
            "task": "outbox.publish_pending",
            "schedule": crontab(minute="*"),
            "options": {"expires": 55},
        },
        "outbox-prune-published": {
            "task": "outbox.prune_published",
            "schedule": crontab(minute="17", hour="3"),
            "options": {"expires": 3600},
        },
        # Members whose standby user pool has yet to match them (tenancy.identity_pool).
        "tenancy-standby-sync": {
            "task": "tenancy.standby_sync",
            "schedule": crontab(minute="*/5"),
            "options": {"expires": 240},
        },
        "outbox-dispatch-tasks": {
            "task": "outbox.dispatch_tasks",
            "schedule": schedule(timedelta(seconds=task_dispatch_seconds)),
            "options": {"expires": task_dispatch_seconds},
        },
    }
