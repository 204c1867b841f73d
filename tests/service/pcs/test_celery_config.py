"""Celery settings that make a worker stop (or die) without losing a task."""

from __future__ import annotations

from django.conf import settings

from pcs.celery import app
from pcs.queues import Queue

ECS_STOP_TIMEOUT_SECONDS = 120


def registered_platform_tasks() -> dict:
    """The project's own tasks (not Celery's built-ins)."""
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}


def test_tasks_are_acked_late_rejected_on_worker_loss_and_prefetched_one_at_a_time() -> None:
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1


def test_every_task_has_time_limits_that_fit_in_the_ecs_stop_timeout() -> None:
    for name, task in registered_platform_tasks().items():
        hard = task.time_limit or app.conf.task_time_limit
        soft = task.soft_time_limit or app.conf.task_soft_time_limit
        assert soft and hard and soft < hard < ECS_STOP_TIMEOUT_SECONDS, name


def test_every_task_states_its_retries_and_routes_to_a_named_queue() -> None:
    queues = {queue.value for queue in Queue}
    for name, task in registered_platform_tasks().items():
        assert task.max_retries is not None, name
        route = app.amqp.router.route({}, name)
        assert route["queue"].name in queues, name


def test_the_visibility_timeout_outlasts_the_longest_task_and_retry_delay() -> None:
    timeout = app.conf.broker_transport_options["visibility_timeout"]
    longest = max(
        (task.time_limit or 0) + (getattr(task, "retry_backoff_max", 0) or 0)
        for task in registered_platform_tasks().values()
    )
    assert timeout > longest
    assert timeout == settings.CELERY_VISIBILITY_TIMEOUT


def test_the_worker_consumes_every_named_queue() -> None:
    assert {queue.name for queue in app.conf.task_queues} == {q.value for q in Queue}
