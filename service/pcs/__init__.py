"""The PCS Django project: API, Celery worker and Celery Beat share this package."""

from pcs.celery import app as celery_app

__all__ = ["celery_app"]
