"""gunicorn for the API container: sized from the task's CPUs, graceful on SIGTERM, JSON logs."""

from __future__ import annotations

# Patch before anything else is imported (the logging config below imports Django): a module
# that captured the unpatched threading.local would share Django's connections between requests.
from gevent import monkey

monkey.patch_all()

import gc  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402

from pcs.settings.base import logging_config  # noqa: E402

# The JSON lines (pcs.logging.JsonFormatter) carry no thread or process fields: skip collecting
# them for every record, as the logging HOWTO's "Optimization" section suggests. (Its private
# `_srcfile` switch, which skips finding the caller, is not used: no run of make bench-service
# has shown its gain, docs/service.md.)
logging.logThreads = False
logging.logProcesses = False
logging.logMultiprocessing = False


def cpu_count() -> int:
    """CPUs this process may use (Fargate exposes the task's vCPUs)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
# gevent: a slow client (or a stalled dependency) parks a greenlet, not one of a few threads, so
# health checks are answered while every request waits (docs/decisions/service-server-model.md).
# Database concurrency is bounded by the connection pool, not by the worker.
worker_class = "pcs.gunicorn_worker.JsonErrorGeventWorker"
workers = int(os.environ.get("GUNICORN_WORKERS", cpu_count()))
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", 1000))
# ECS waits stopTimeout (up to 120 s) after SIGTERM; in-flight requests finish well within it.
graceful_timeout = 30
timeout = 60
# The ALB keeps idle connections for 60 s; outlive it so the ALB, not gunicorn, closes them.
keepalive = 65
# Recycling only as a leak backstop: at the benchmark's rate a worker serves more than 10 minutes
# before it restarts, and the jitter keeps workers from restarting together.
max_requests = 2_000_000
max_requests_jitter = 200_000
forwarded_allow_ips = "*"  # only the ALB reaches the task (security group)
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = "-"
# Access lines built from the few fields they carry (gunicorn's own copies every header and
# environ variable per request, the largest cost of answering /health).
logger_class = "pcs.access_log.AccessLogger"
errorlog = "-"
logconfig_dict = logging_config(os.environ.get("LOG_LEVEL", "INFO"))


def post_worker_init(worker: object) -> None:
    """Move what loading the app allocated (Django, DRF, the URL conf: most of the heap) out of
    the collector's sight: a full collection then walks only what requests allocate, instead of
    pausing every request in flight (the tail latency in docs/service.md's benchmark)."""
    gc.collect()
    gc.freeze()
