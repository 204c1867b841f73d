"""Celery queue metrics: backlog and oldest message age, published to CloudWatch each minute."""
