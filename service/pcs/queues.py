"""Every Celery queue, named in one place."""

from enum import StrEnum


class Queue(StrEnum):
    """Queues the worker consumes; tasks name theirs explicitly."""

    DEFAULT = "default"
    DOCUMENTS = "documents"
    OUTBOX = "outbox"
