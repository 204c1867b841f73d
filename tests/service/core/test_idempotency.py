"""Task idempotency: an effect and its record commit together."""

from __future__ import annotations

import pytest

from core.idempotency import task_run_once
from core.models import TaskExecution

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "reader"])


def test_an_effect_runs_once_per_key() -> None:
    runs: list[str] = []
    assert task_run_once(key="k1", task_name="t", effect=lambda: runs.append("k1")) is True
    assert task_run_once(key="k1", task_name="t", effect=lambda: runs.append("k1")) is False
    assert task_run_once(key="k2", task_name="t", effect=lambda: runs.append("k2")) is True
    assert runs == ["k1", "k2"]


def test_a_failed_effect_leaves_no_record_so_a_retry_runs_it() -> None:
    def failing() -> None:
        raise TimeoutError("S3 timed out")

    with pytest.raises(TimeoutError):
        task_run_once(key="k", task_name="t", effect=failing)
    assert not TaskExecution.objects.filter(key="k").exists()
    assert task_run_once(key="k", task_name="t", effect=lambda: None) is True
