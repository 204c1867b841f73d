"""A probe task loaded only into the worker the shutdown test starts (`--include`).

It uses the platform's idempotency helper exactly as real tasks do, and leaves a line in a marker
file at each attempt, at the start of its effect and at its end, so the test can see what ran.
"""

from __future__ import annotations

import time

from celery import shared_task

from core.idempotency import task_run_once


def _mark(path: str, line: str) -> None:
    with open(path, "a") as marker:
        marker.write(line + "\n")


@shared_task(name="probe.slow_effect", soft_time_limit=20, time_limit=30, max_retries=0)
def slow_effect(key: str, seconds: float, marker_path: str) -> bool:
    """Record `key` once, taking `seconds` to do it."""
    _mark(marker_path, "attempt")

    def effect() -> None:
        _mark(marker_path, "start")
        time.sleep(seconds)
        _mark(marker_path, "done")

    return task_run_once(key=key, task_name="probe.slow_effect", effect=effect)
