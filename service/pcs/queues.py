"""Every Celery queue, named in one place."""

from enum import StrEnum


class Queue(StrEnum):
    """Queues the worker consumes; tasks name theirs explicitly."""

    DEFAULT = "default"
    DOCUMENTS = "documents"
    OUTBOX = "outbox"


# Task name prefix -> queue (Celery's task_routes); a task's name says where it runs.
TASK_ROUTES = {
    "documents.*": {"queue": Queue.DOCUMENTS.value},
    "outbox.*": {"queue": Queue.OUTBOX.value},
}

# Message header (epoch seconds) stamped on every publish: the queue metrics' oldest-age source.
ENQUEUED_AT_HEADER = "pcs_enqueued_at"
