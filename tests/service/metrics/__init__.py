"""Tests of the Celery queue metrics."""
