"""Tasks go through the database: recorded with the change, sent after commit, re-sent by the
dispatcher when they were never sent or Redis restarted since (real Redis and PostgreSQL)."""

from __future__ import annotations

import json

import pytest
from django.db import transaction

from outbox.dispatch import broker_run_id, pending_tasks_dispatch, task_record
from outbox.models import PendingTask
from pcs.celery import REQUEST_ID_HEADER
from pcs.db.router import READER, WRITER
from pcs.queues import Queue
from pcs.request_id import request_id_var

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=[WRITER, READER]),
    pytest.mark.usefixtures("empty_queues"),
]

TASK = "documents.process"
KWARGS = {"document_id": "d", "organization_id": "o"}


def record() -> PendingTask:
    with transaction.atomic(using=WRITER):
        return task_record(task_name=TASK, kwargs=KWARGS)


def test_a_task_is_recorded_then_sent_after_commit(queue_length) -> None:
    pending = record()
    assert queue_length(Queue.DOCUMENTS.value) == 1
    pending.refresh_from_db()
    assert pending.dispatched_at is not None
    assert pending.broker_run_id == broker_run_id()


def test_a_task_is_not_recorded_when_its_transaction_rolls_back(queue_length) -> None:
    with pytest.raises(RuntimeError), transaction.atomic(using=WRITER):
        task_record(task_name=TASK, kwargs=KWARGS)
        raise RuntimeError("the change failed")
    assert not PendingTask.objects.exists()
    assert queue_length(Queue.DOCUMENTS.value) == 0


def test_recording_outside_a_transaction_is_refused() -> None:
    with pytest.raises(RuntimeError, match="inside the transaction"):
        task_record(task_name=TASK, kwargs=KWARGS)


def test_with_redis_down_the_commit_stands_and_the_dispatcher_sends_it_later(
    settings, queue_length, caplog
) -> None:
    reachable = settings.REDIS_URL
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    pending = record()
    pending.refresh_from_db()
    assert pending.dispatched_at is None
    assert f"task {pending.pk} recorded; not sent now (Redis unavailable" in caplog.text
    settings.REDIS_URL = reachable
    assert pending_tasks_dispatch() == 1
    assert queue_length(Queue.DOCUMENTS.value) == 1
    assert pending_tasks_dispatch() == 0  # sent to this Redis already


def test_tasks_sent_before_redis_restarted_are_sent_again(queue_length) -> None:
    lost, current = record(), record()
    # As if `lost` went to the Redis that ran before the current one.
    PendingTask.objects.filter(pk=lost.pk).update(broker_run_id="a-previous-run")
    assert pending_tasks_dispatch() == 1
    assert queue_length(Queue.DOCUMENTS.value) == 3
    lost.refresh_from_db()
    current.refresh_from_db()
    assert lost.broker_run_id == current.broker_run_id == broker_run_id()
    assert lost.attempts == 2


def test_a_task_re_sent_by_the_dispatcher_carries_the_original_request_id(
    settings, redis_client
) -> None:
    reachable = settings.REDIS_URL
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    token = request_id_var.set("req-original-123")
    try:
        record()  # Redis down: recorded, not sent
    finally:
        request_id_var.reset(token)
    settings.REDIS_URL = reachable
    token = request_id_var.set("req-dispatcher-456")
    try:
        assert pending_tasks_dispatch() == 1
    finally:
        request_id_var.reset(token)
    (message,) = redis_client.lrange(f"{settings.REDIS_KEY_PREFIX}{Queue.DOCUMENTS.value}", 0, -1)
    assert json.loads(message)["headers"][REQUEST_ID_HEADER] == "req-original-123"
