"""A worker stopped mid-task (ECS stop, Spot interruption) loses nothing and repeats nothing.

Starts real `celery worker` processes (prefork, as in production) against the real Redis broker
and the test database; the task's effect must be recorded exactly once across a restart.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from core.models import TaskExecution
from pcs.celery import app
from pcs.request_id import request_id_var

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "reader"])

REPO = Path(__file__).resolve().parents[3]


def wait_for(predicate, timeout: float, what: str) -> None:
    """Poll until `predicate()` or fail naming `what`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def start_worker(db_env: dict[str, str], log: Path, **extra_env: str) -> subprocess.Popen:
    """`celery -A pcs worker` with the test settings, database and role, and this run's prefix.

    In its own process group, so the test can kill the whole container's worth of processes.
    """
    env = {
        **os.environ,
        **db_env,
        **extra_env,
        "DJANGO_SETTINGS_MODULE": "pcs.settings.test",
        "PYTHONPATH": f"{REPO / 'service'}:{REPO}",
    }
    command = [
        str(REPO / ".venv" / "bin" / "celery"),
        "-A", "pcs", "worker", "--loglevel", "INFO", "--concurrency", "1",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
        "--include", "tests.service.pcs.probe_tasks",
    ]  # fmt: skip
    worker = subprocess.Popen(
        command,
        cwd=REPO / "service",
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    wait_for(lambda: "ready." in log.read_text(), 30, "the worker to be ready")
    return worker


def lines(path: Path) -> list[str]:
    """The marker file's lines."""
    return path.read_text().split() if path.exists() else []


@pytest.mark.usefixtures("empty_queues")
def test_sigterm_mid_task_finishes_it_and_a_redelivery_does_not_repeat_it(
    tmp_path, app_db_env
) -> None:
    marker = tmp_path / "marker"
    args = ["report-42", 2.0, str(marker)]
    worker = start_worker(app_db_env, tmp_path / "worker1.log")
    try:
        request_id_var.set("req-sigterm-1")  # as if queued while handling that request
        app.send_task("probe.slow_effect", args=args)
        request_id_var.set("-")
        wait_for(lambda: "start" in lines(marker), 20, "the task to start")
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0
    finally:
        worker.kill() if worker.poll() is None else None
    assert lines(marker) == ["attempt", "start", "done"]
    assert TaskExecution.objects.filter(key="report-42").count() == 1
    finished = [
        json.loads(line)
        for line in (tmp_path / "worker1.log").read_text().splitlines()
        if line.startswith("{") and "succeeded" in line
    ]
    assert [entry["request_id"] for entry in finished] == ["req-sigterm-1"]

    # The same message delivered again (as after a lost ack) runs but has no second effect.
    worker = start_worker(app_db_env, tmp_path / "worker2.log")
    try:
        app.send_task("probe.slow_effect", args=args)
        wait_for(lambda: lines(marker).count("attempt") == 2, 20, "the redelivered attempt")
        wait_for(lambda: "succeeded" in (tmp_path / "worker2.log").read_text(), 20, "completion")
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
    assert lines(marker) == ["attempt", "start", "done", "attempt"]
    assert TaskExecution.objects.filter(key="report-42").count() == 1


@pytest.mark.usefixtures("empty_queues")
def test_a_worker_killed_outright_mid_task_has_the_task_redelivered_and_done_once(
    tmp_path, app_db_env
) -> None:
    # SIGKILL of every process, as when the stop timeout runs out: the running transaction is
    # lost, the message stays unacknowledged and becomes visible again after the timeout.
    marker = tmp_path / "marker"
    visibility = {"PCS_VISIBILITY_TIMEOUT": "2"}
    worker = start_worker(app_db_env, tmp_path / "worker1.log", **visibility)
    try:
        app.send_task("probe.slow_effect", args=["report-43", 2.0, str(marker)])
        wait_for(lambda: "start" in lines(marker), 20, "the task to start")
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    assert lines(marker) == ["attempt", "start"]
    assert not TaskExecution.objects.filter(key="report-43").exists()

    time.sleep(2.5)  # past the visibility timeout
    worker = start_worker(app_db_env, tmp_path / "worker2.log", **visibility)
    try:
        wait_for(lambda: "done" in lines(marker), 30, "the redelivered task to finish")
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
    assert lines(marker) == ["attempt", "start", "attempt", "start", "done"]
    assert TaskExecution.objects.filter(key="report-43").count() == 1
