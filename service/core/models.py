"""Task idempotency records: a tenant's under its row-level security, platform tasks' outside."""

from django.db import models


class TaskExecution(models.Model):
    """A task's effect, recorded in the same transaction as the effect itself."""

    key = models.CharField(max_length=200, primary_key=True)
    task_name = models.CharField(max_length=200)
    organization_id = models.UUIDField(null=True)  # empty for a platform task
    completed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
