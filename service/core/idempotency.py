"""Exactly-once effects for at-least-once tasks.

Celery with acks_late redelivers a task whose worker died; the effect and its idempotency record
commit together, so a redelivered (or concurrently duplicated) task finds the record and skips.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from django.db import IntegrityError, transaction

from core.models import TaskExecution
from pcs.db.router import WRITER


def task_run_once(
    *,
    key: str,
    task_name: str,
    effect: Callable[[], None],
    organization_id: UUID | str | None = None,
) -> bool:
    """Run `effect` unless `key` already ran; True when it ran now.

    A tenant's task passes its organization and runs inside its context (row-level security).

    The record is inserted first: a concurrent duplicate blocks on the unique key until this
    transaction ends, then sees the committed record (or takes over if this one rolled back).
    """
    with transaction.atomic(using=WRITER):
        try:
            with transaction.atomic(using=WRITER):
                TaskExecution.objects.using(WRITER).create(
                    key=key, task_name=task_name, organization_id=organization_id
                )
        except IntegrityError:
            return False
        effect()
        return True
