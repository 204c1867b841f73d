"""App config for the Celery queue metrics."""

from django.apps import AppConfig


class MetricsConfig(AppConfig):
    """Queue backlog metrics for alarms and the worker's autoscaling."""

    name = "metrics"
