"""Two Beats running at once (during a deployment) send each scheduled occurrence once."""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta

import pytest
from celery.beat import ScheduleEntry
from celery.schedules import crontab, schedule

from pcs.beat import LockedScheduler
from pcs.celery import app
from pcs.queues import Queue

ENTRY = "outbox-publish"
DISPATCHER = "outbox-dispatch-tasks"


def beat(tmp_path, name: str) -> LockedScheduler:
    """A Beat scheduler with its own schedule file, as a second container would have."""
    return LockedScheduler(app=app, schedule_filename=str(tmp_path / name), max_interval=1)


def fixed_clock(now: datetime) -> datetime:
    """A crontab clock stopped at `now` (a module function: Beat pickles its entries)."""
    return now


def due_entry(scheduler: LockedScheduler, now: datetime) -> None:
    """Install the outbox entry on crontab with a fixed clock, last run a minute earlier."""
    scheduler.schedule.clear()
    scheduler.schedule[ENTRY] = ScheduleEntry(
        name=ENTRY,
        task="outbox.publish_pending",
        schedule=crontab(minute="*", nowfun=functools.partial(fixed_clock, now), app=app),
        last_run_at=now - timedelta(minutes=1),
        app=app,
    )
    scheduler._heap = None  # rebuild the due-heap from the new entry


@pytest.mark.usefixtures("empty_queues")
def test_two_beats_ticking_the_same_minute_send_the_job_once(tmp_path, queue_length) -> None:
    now = datetime(2026, 1, 5, 12, 0, 1, tzinfo=UTC)
    first, second = beat(tmp_path, "a"), beat(tmp_path, "b")
    for scheduler in (first, second):
        due_entry(scheduler, now)
        scheduler.tick()
    assert queue_length(Queue.OUTBOX.value) == 1

    later = now + timedelta(minutes=1)
    for scheduler in (second, first):
        due_entry(scheduler, later)
        scheduler.tick()
    assert queue_length(Queue.OUTBOX.value) == 2
    for scheduler in (first, second):
        scheduler.close()


def test_beat_skips_an_occurrence_instead_of_crashing_when_redis_is_down(
    tmp_path, settings, caplog
) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    scheduler = beat(tmp_path, "c")
    now = datetime(2026, 1, 5, 12, 0, 1, tzinfo=UTC)
    due_entry(scheduler, now)
    scheduler.apply_entry(scheduler.schedule[ENTRY])
    assert f"{ENTRY} at 2026-01-05 12:00:00+00:00 skipped, Redis unavailable" in caplog.text
    scheduler.close()


def test_every_beat_schedule_is_a_crontab_for_a_registered_task_but_the_dispatchers() -> None:
    from django.conf import settings

    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        if name != DISPATCHER:
            assert isinstance(entry["schedule"], crontab), name
        assert entry["task"] in app.tasks, name
    dispatcher = settings.CELERY_BEAT_SCHEDULE[DISPATCHER]["schedule"]
    assert dispatcher.run_every == timedelta(seconds=settings.TASK_DISPATCH_SECONDS)


@pytest.mark.usefixtures("empty_queues")
def test_two_beats_send_each_slot_of_the_dispatchers_interval_once(tmp_path, queue_length) -> None:
    period = timedelta(seconds=10)
    start = datetime(2026, 1, 5, 12, 0, 0, tzinfo=UTC)
    first, second = beat(tmp_path, "a"), beat(tmp_path, "b")
    for moment in (start + timedelta(seconds=1), start + timedelta(seconds=11)):
        for scheduler in (first, second):
            scheduler.schedule.clear()
            scheduler.schedule[DISPATCHER] = ScheduleEntry(
                name=DISPATCHER,
                task="outbox.dispatch_tasks",
                schedule=schedule(period, nowfun=functools.partial(fixed_clock, moment), app=app),
                last_run_at=moment - period,
                app=app,
            )
            scheduler._heap = None
            scheduler.tick()
    assert queue_length(Queue.OUTBOX.value) == 2
    for scheduler in (first, second):
        scheduler.close()


def test_beats_own_loop_publishes_the_queue_metrics_once_a_minute(tmp_path, monkeypatch):
    """Beat, not a task on the worker it measures, publishes the queue metrics."""
    import pcs.beat

    calls: list[object] = []
    monkeypatch.setattr(
        pcs.beat, "queue_metrics_publish_once", lambda *, client: calls.append(client)
    )
    clock = [1000.0]
    monkeypatch.setattr(pcs.beat.time, "monotonic", lambda: clock[0])
    scheduler = beat(tmp_path, "metrics-beat")
    scheduler.schedule.clear()
    scheduler._heap = None
    assert scheduler.tick() <= pcs.beat.QUEUE_METRICS_EVERY_SECONDS
    clock[0] += 30
    scheduler.tick()
    assert len(calls) == 1  # within the minute: not again
    clock[0] += 31
    scheduler.tick()
    assert len(calls) == 2
    assert calls[0] is scheduler._redis
