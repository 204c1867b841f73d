"""Liveness (`/health`, no I/O) and readiness (`/health/ready`, every dependency, short timeouts).

ALB and container health checks arrive over plain HTTP with the task's IP as Host, so both are
answered by a WSGI wrapper in front of Django: before host validation and the HTTPS redirect, and
without Django's request machinery (liveness is probed most often and must be the cheapest
answer; readiness only needs the database connections). Concurrent readiness probes share the
check in flight: each gets the result of a check that was running when it arrived (started at
most HEALTH_CHECK_TIMEOUT_SECONDS earlier), so a burst of probes costs one round of checks.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

import redis
from django.conf import settings
from django.db import connections
from django.http import HttpResponse

from outbox.kafka import kafka_cluster_check
from pcs.db.deadline import socket_shutdown
from pcs.db.router import READER, WRITER
from pcs.green import native_thread_call
from pcs.request_id import HEADER as REQUEST_ID_HEADER
from pcs.request_id import request_id_of, request_id_var

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CheckResult:
    """One dependency's state (the reason is logged, never answered: probes are unauthenticated)."""

    ok: bool
    latency_ms: float

    def as_dict(self) -> dict[str, object]:
        """JSON form: state and latency."""
        return {
            "status": "ok" if self.ok else "unavailable",
            "latency_ms": round(self.latency_ms, 2),
        }


class Check:
    """One dependency probe; `abort` breaks whatever it is blocked on when its time is up."""

    def __init__(self, probe: Callable[[Check], None]) -> None:
        self.probe = probe
        self._abort: Callable[[], None] | None = None

    def on_abort(self, abort: Callable[[], None]) -> None:
        """Register how to unblock the probe (e.g. shut its socket down)."""
        self._abort = abort

    def abort(self) -> None:
        """Unblock the probe after its deadline; it then fails on its own."""
        if self._abort is not None:
            self._abort()


def _database(alias: str) -> Check:
    def probe(check: Check) -> None:
        connection = connections[alias]
        try:
            connection.ensure_connection()
            raw = connection.connection
            check.on_abort(lambda: socket_shutdown(raw))
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        finally:
            connection.close()  # back to the pool, or closed if broken

    return Check(probe)


_redis_clients: dict[str, redis.Redis] = {}


def _redis_probe(_: Check) -> None:
    url = settings.REDIS_URL
    client = _redis_clients.get(url)
    if client is None:
        timeout = settings.HEALTH_CHECK_TIMEOUT_SECONDS
        client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
        _redis_clients[url] = client
    client.ping()


def _kafka_probe(_: Check) -> None:
    timeout = settings.HEALTH_CHECK_TIMEOUT_SECONDS
    native_thread_call(lambda: kafka_cluster_check(timeout=timeout))


_executor: ThreadPoolExecutor | None = None


def _run(name: str, check: Check) -> CheckResult:
    started = time.perf_counter()
    try:
        check.probe(check)
    except Exception as exc:
        logger.warning("readiness: %s unavailable: %s: %s", name, type(exc).__name__, exc)
        return CheckResult(False, (time.perf_counter() - started) * 1000)
    return CheckResult(True, (time.perf_counter() - started) * 1000)


def readiness_report() -> tuple[bool, dict[str, dict[str, object]]]:
    """Check every configured dependency concurrently, each within the check timeout."""
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=16, thread_name_prefix="readiness")
    checks = {
        "database_writer": _database(WRITER),
        "database_reader": _database(READER),
        "redis": Check(_redis_probe),
    }
    if settings.KAFKA_BOOTSTRAP_SERVERS:
        checks["kafka"] = Check(_kafka_probe)
    timeout = settings.HEALTH_CHECK_TIMEOUT_SECONDS
    futures = {name: _executor.submit(_run, name, check) for name, check in checks.items()}
    wait(futures.values(), timeout=timeout)
    results: dict[str, CheckResult] = {}
    for name, future in futures.items():
        if future.done():
            results[name] = future.result()
        else:
            logger.warning("readiness: %s gave no answer within %gs", name, timeout)
            checks[name].abort()
            results[name] = CheckResult(False, timeout * 1000)
    return all(r.ok for r in results.values()), {k: v.as_dict() for k, v in results.items()}


_in_flight: Future | None = None


def readiness_report_shared() -> tuple[bool, dict[str, dict[str, object]]]:
    """readiness_report(), shared by the probes that arrive while it runs."""
    global _in_flight
    if _in_flight is not None:
        return _in_flight.result()
    _in_flight = future = Future()
    try:
        future.set_result(readiness_report())
    except BaseException as exc:
        future.set_exception(exc)
        raise
    finally:
        _in_flight = None
    return future.result()


def unavailable(response: HttpResponse) -> HttpResponse:
    """Mark a 503 as temporary: clients (and the ALB) may retry after the configured delay."""
    response["Retry-After"] = str(settings.RETRY_AFTER_SECONDS)
    return response


_LIVE = json.dumps({"status": "ok"}).encode()


class HealthApp:
    """WSGI wrapper answering `GET|HEAD /health` (no I/O) and `/health/ready`; Django the rest."""

    def __init__(self, application: Callable[..., Iterable[bytes]]) -> None:
        self.application = application

    def __call__(self, wsgi_env: dict, start_response: Callable[..., object]) -> Iterable[bytes]:
        """Liveness and readiness (with the request id echoed); Django for everything else."""
        path = wsgi_env.get("PATH_INFO")
        method = wsgi_env.get("REQUEST_METHOD")
        if path not in ("/health", "/health/ready") or method not in ("GET", "HEAD"):
            return self.application(wsgi_env, start_response)
        request_id = request_id_of(
            wsgi_env.get("HTTP_X_REQUEST_ID"), wsgi_env.get("HTTP_X_AMZN_TRACE_ID")
        )
        headers = [("Cache-Control", "no-store"), (REQUEST_ID_HEADER, request_id)]
        if path == "/health":
            status, body = "200 OK", _LIVE
        else:
            request_id_var.set(request_id)  # readiness logs why a dependency failed
            ready, dependencies = readiness_report_shared()
            status = "200 OK" if ready else "503 Service Unavailable"
            body = json.dumps(
                {"status": "ready" if ready else "not_ready", "checks": dependencies}
            ).encode()
            if not ready:
                headers.append(("Retry-After", str(settings.RETRY_AFTER_SECONDS)))
        start_response(
            status,
            [("Content-Type", "application/json"), ("Content-Length", str(len(body))), *headers],
        )
        return [body] if method == "GET" else []
