"""Liveness (`/health`, no I/O) and readiness (`/health/ready`, every dependency, short timeouts).

Answered by a middleware at the top of the stack: ALB and container health checks arrive over
plain HTTP with the task's IP as Host, before host validation and the HTTPS redirect.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass

import redis
from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

from outbox.kafka import kafka_cluster_check


@dataclass(frozen=True)
class CheckResult:
    """One dependency's state."""

    ok: bool
    latency_ms: float
    error: str = ""

    def as_dict(self) -> dict[str, object]:
        """JSON form: state, latency and (on failure) the error class and message."""
        body: dict[str, object] = {
            "status": "ok" if self.ok else "unavailable",
            "latency_ms": round(self.latency_ms, 2),
        }
        if self.error:
            body["error"] = self.error
        return body


def _timed(check: Callable[[], None]) -> CheckResult:
    started = time.perf_counter()
    try:
        check()
    except Exception as exc:
        elapsed = (time.perf_counter() - started) * 1000
        return CheckResult(False, elapsed, f"{type(exc).__name__}: {exc}"[:200])
    return CheckResult(True, (time.perf_counter() - started) * 1000)


def _database(alias: str) -> Callable[[], None]:
    def check() -> None:
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    return check


_redis_clients: dict[str, redis.Redis] = {}


def _redis() -> None:
    url = settings.REDIS_URL
    client = _redis_clients.get(url)
    if client is None:
        timeout = settings.HEALTH_CHECK_TIMEOUT_SECONDS
        client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
        _redis_clients[url] = client
    client.ping()


def readiness_report() -> tuple[bool, dict[str, dict[str, object]]]:
    """Check every configured dependency; ready only when all are ok."""
    checks: dict[str, Callable[[], None]] = {
        "database_writer": _database("default"),
        "database_reader": _database("reader"),
        "redis": _redis,
    }
    if settings.KAFKA_BOOTSTRAP_SERVERS:
        checks["kafka"] = lambda: kafka_cluster_check(timeout=settings.HEALTH_CHECK_TIMEOUT_SECONDS)
    results = {name: _timed(check) for name, check in checks.items()}
    return all(r.ok for r in results.values()), {k: v.as_dict() for k, v in results.items()}


def _json(status: int, body: dict[str, object]) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    """Serve the two health endpoints before any other middleware runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Answer /health and /health/ready; pass everything else on."""
        if request.method in ("GET", "HEAD"):
            if request.path == "/health":
                return _json(200, {"status": "ok"})
            if request.path == "/health/ready":
                ready, dependencies = readiness_report()
                status = "ready" if ready else "not_ready"
                return _json(200 if ready else 503, {"status": status, "checks": dependencies})
        return self.get_response(request)
