"""Platform tables (not tenant-owned)."""

from django.db import models


class TaskExecution(models.Model):
    """A task's effect, recorded in the same transaction as the effect itself."""

    key = models.CharField(max_length=200, primary_key=True)
    task_name = models.CharField(max_length=200)
    completed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
