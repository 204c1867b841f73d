"""Celery tasks through the database, so that Redis losing its messages loses no work.

A service records the task (`task_record`) in the transaction of the change that asks for it;
after the commit it is sent at once. Beat's dispatcher (`pending_tasks_dispatch`, every
`TASK_DISPATCH_SECONDS`) sends what was never sent and re-sends what was sent to a Redis that
has restarted since (its `run_id` changed: the message may be gone). The row is deleted when the
task succeeds. Tasks are idempotent, so a message that survived and its re-send run once.
"""

from __future__ import annotations

import logging
from typing import Any

import redis
from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from outbox.models import PendingTask
from pcs.celery import REQUEST_ID_HEADER
from pcs.db.router import WRITER
from pcs.request_id import request_id_var

logger = logging.getLogger(__name__)

# Message header naming the PendingTask row; the worker deletes the row when the task succeeds.
PENDING_TASK_HEADER = "pcs_pending_task"
DISPATCH_BATCH_SIZE = 500
BROKER_TIMEOUT_SECONDS = 2

_redis_clients: dict[str, redis.Redis] = {}


def broker_run_id() -> str:
    """The Redis server's run_id: it changes when Redis restarts or fails over."""
    client = _redis_clients.get(settings.REDIS_URL)
    if client is None:
        client = redis.Redis.from_url(
            settings.REDIS_URL,
            socket_connect_timeout=BROKER_TIMEOUT_SECONDS,
            socket_timeout=BROKER_TIMEOUT_SECONDS,
        )
        _redis_clients[settings.REDIS_URL] = client
    return client.info("server")["run_id"]


def task_record(*, task_name: str, kwargs: dict[str, Any]) -> PendingTask:
    """Record a task in the caller's transaction; it is sent once that commits."""
    if not transaction.get_connection(WRITER).in_atomic_block:
        raise RuntimeError("task_record must run inside the transaction that makes the change")
    request_id = request_id_var.get()
    pending = PendingTask.objects.using(WRITER).create(
        task_name=task_name, kwargs=kwargs, request_id=None if request_id == "-" else request_id
    )
    transaction.on_commit(lambda: _dispatch_committed(pending.pk), using=WRITER)
    return pending


def _send(pending: PendingTask, run_id: str) -> None:
    headers: dict[str, object] = {PENDING_TASK_HEADER: pending.pk}
    if pending.request_id:
        # Set here, the publish hook's setdefault keeps it instead of the sender's own id.
        headers[REQUEST_ID_HEADER] = pending.request_id
    current_app.send_task(
        pending.task_name,
        kwargs=pending.kwargs,
        headers=headers,
        retry=False,  # a down broker must not hold the request: the dispatcher sends it later
    )
    PendingTask.objects.using(WRITER).filter(pk=pending.pk).update(
        dispatched_at=timezone.now(), broker_run_id=run_id, attempts=F("attempts") + 1
    )


def _dispatch_committed(pending_id: int) -> None:
    """Send a just-committed task; if Redis is down, only log (it is recorded)."""
    try:
        run_id = broker_run_id()
        for pending in PendingTask.objects.using(WRITER).filter(pk=pending_id):
            _send(pending, run_id)
    except (redis.RedisError, BrokerError, OSError) as exc:
        logger.warning(
            "task %s recorded; not sent now (Redis unavailable: %s): the dispatcher sends it",
            pending_id,
            type(exc).__name__,
        )


def pending_tasks_dispatch() -> int:
    """Send every recorded task never sent, or sent before Redis last restarted; how many.

    Rows are locked with SKIP LOCKED, so overlapping dispatchers send each row once per pass.
    """
    run_id = broker_run_id()
    with transaction.atomic(using=WRITER):
        due = list(
            PendingTask.objects.using(WRITER)
            .select_for_update(skip_locked=True)
            .filter(Q(dispatched_at__isnull=True) | ~Q(broker_run_id=run_id))
            .order_by("id")[:DISPATCH_BATCH_SIZE]
        )
        for pending in due:
            _send(pending, run_id)
    if due:
        logger.info("dispatcher: sent %d recorded tasks", len(due))
    return len(due)


def pending_task_done(pending_id: int) -> None:
    """The task succeeded: forget its record."""
    PendingTask.objects.using(WRITER).filter(pk=pending_id).delete()
