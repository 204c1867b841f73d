"""The Celery application `pcs` shared by the worker and Beat (configured from Django settings)."""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

from celery import Celery, states
from celery.signals import (
    before_task_publish,
    setup_logging,
    task_failure,
    task_postrun,
    task_prerun,
    task_retry,
)
from kombu import Queue as KombuQueue

from pcs.queues import ENQUEUED_AT_HEADER, Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcs.settings.local")


def _running_celery_cli() -> bool:
    executable = sys.argv[0] if sys.argv else ""
    return Path(executable).name == "celery" or executable.endswith("celery/__main__.py")


# The task definitions may start `celery -A pcs worker ...` directly (spec §2.3), bypassing the
# start scripts: give that path the same one-line refusal of an incomplete environment.
if _running_celery_cli():
    from pcs import preflight

    if (status := preflight.main()) != 0:
        sys.exit(status)

app = Celery("pcs")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = [KombuQueue(queue.value) for queue in Queue]
app.autodiscover_tasks()


@app.on_after_configure.connect
def _broker_options(sender: Celery, **_: object) -> None:
    """Scope broker keys to this deployment and keep unacked tasks invisible long enough."""
    from django.conf import settings

    sender.conf.broker_transport_options = {
        "visibility_timeout": settings.CELERY_VISIBILITY_TIMEOUT,
        "global_keyprefix": settings.REDIS_KEY_PREFIX,
        "socket_connect_timeout": 5,
        "health_check_interval": 30,
    }


@setup_logging.connect
def _use_django_logging(**_: object) -> None:
    """Keep Django's JSON logging instead of Celery's own handlers."""
    import logging.config

    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


REQUEST_ID_HEADER = "pcs_request_id"


@before_task_publish.connect
def _propagate_request_id(headers: dict, **_: object) -> None:
    """A task queued while handling a request carries that request's id."""
    from pcs.request_id import request_id_var

    if (request_id := request_id_var.get()) != "-":
        headers.setdefault(REQUEST_ID_HEADER, request_id)


@before_task_publish.connect
def _stamp_enqueue_time(headers: dict, **_: object) -> None:
    """Record when the message was sent: Redis lists keep no time (metrics.services reads it)."""
    headers.setdefault(ENQUEUED_AT_HEADER, time.time())


@task_prerun.connect
def _task_request_id(task_id: str, task: object, **_: object) -> None:
    """Log lines inside a task carry the originating request's id, else the task id."""
    from pcs.request_id import request_id_var

    request_id_var.set(getattr(task.request, REQUEST_ID_HEADER, None) or task_id)


@task_postrun.connect
def _task_request_id_clear(**_: object) -> None:
    from pcs.request_id import request_id_var

    request_id_var.set("-")


@task_postrun.connect
def _pending_task_done(task: object, state: str, **_: object) -> None:
    """A recorded task (outbox.dispatch) that succeeded is not sent again."""
    from outbox.dispatch import PENDING_TASK_HEADER, pending_task_done

    pending_id = getattr(task.request, PENDING_TASK_HEADER, None)
    if pending_id is not None and state == states.SUCCESS:
        pending_task_done(pending_id)


def _task_event_count(event: str) -> None:
    """Count a failed or retried task for Beat's next metrics publish; never fails the task."""
    import redis

    from metrics.services import task_event_count

    try:
        task_event_count(event)
    except redis.RedisError as error:
        logging.getLogger(__name__).warning("task %s not counted: %s", event, error)


@task_failure.connect
def _count_task_failure(**_: object) -> None:
    """A task that raised (including its last retry): TasksFailed."""
    _task_event_count("failed")


@task_retry.connect
def _count_task_retry(**_: object) -> None:
    """A task that asked to run again: TasksRetried."""
    _task_event_count("retried")
