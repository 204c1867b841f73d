"""gunicorn for the API container: sized from the task's CPUs, graceful on SIGTERM, JSON logs."""

from __future__ import annotations

import os

from pcs.settings.base import logging_config


def cpu_count() -> int:
    """CPUs this process may use (Fargate exposes the task's vCPUs)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# ECS waits stopTimeout (up to 120 s) after SIGTERM; in-flight requests finish well within it.
graceful_timeout = 30
timeout = 60
# The ALB keeps idle connections for 60 s; outlive it so the ALB, not gunicorn, closes them.
keepalive = 65
max_requests = 5000
max_requests_jitter = 500
forwarded_allow_ips = "*"  # only the ALB reaches the task (security group)
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = "-"
errorlog = "-"
logconfig_dict = logging_config(os.environ.get("LOG_LEVEL", "INFO"))
