"""Every Beat schedule, in one module, on crontab (interval schedules restart with each deploy)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
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
    "metrics-publish-queue-backlog": {
        "task": "metrics.publish_queue_backlog",
        "schedule": crontab(minute="*"),
        "options": {"expires": 55},
    },
    "documents-requeue-stalled": {
        "task": "documents.requeue_stalled",
        "schedule": crontab(minute="*/10"),
        "options": {"expires": 540},
    },
}
