"""Liveness and readiness endpoints against the real PostgreSQL and Redis."""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from werkzeug.test import Client as WsgiClient

from outbox import kafka
from pcs import health
from pcs.db.router import READER, WRITER
from pcs.wsgi import application

pytestmark = pytest.mark.django_db(transaction=True, databases=[WRITER, READER])


def liveness(**headers: str):
    """GET /health through the WSGI application gunicorn serves."""
    return WsgiClient(application).get("/health", headers=headers)


def readiness(**headers: str):
    """GET /health/ready through the WSGI application gunicorn serves."""
    return WsgiClient(application).get("/health/ready", headers=headers)


def test_liveness_answers_without_touching_any_dependency(settings) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    with (
        CaptureQueriesContext(connections[WRITER]) as writer,
        CaptureQueriesContext(connections[READER]) as reader,
    ):
        response = liveness()
    assert response.status_code == 200
    assert response.json == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
    assert writer.captured_queries == [] and reader.captured_queries == []


def test_health_checks_are_answered_for_any_host_header() -> None:
    assert liveness(Host="10.0.12.34:8000").status_code == 200
    assert readiness(Host="10.0.12.34:8000").status_code == 200


def test_liveness_echoes_a_safe_request_id_and_replaces_an_unsafe_one() -> None:
    assert liveness(**{"X-Request-ID": "probe-7"}).headers["X-Request-ID"] == "probe-7"
    replaced = liveness(**{"X-Request-ID": "bad id;\x01"}).headers["X-Request-ID"]
    assert replaced != "bad id;\x01" and len(replaced) == 32


def test_readiness_is_200_with_each_dependency_state_and_latency() -> None:
    response = readiness(**{"X-Request-ID": "probe-8"})
    assert response.status_code == 200
    assert response.headers["X-Request-ID"] == "probe-8"
    assert response.headers["Cache-Control"] == "no-store"
    body = response.json
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database_writer", "database_reader", "redis"}
    for check in body["checks"].values():
        assert check["status"] == "ok"
        assert check["latency_ms"] >= 0


def test_readiness_is_503_naming_redis_but_not_its_error_when_redis_is_unreachable(
    settings, caplog
) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.HEALTH_CHECK_TIMEOUT_SECONDS = 0.5
    response = readiness()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(settings.RETRY_AFTER_SECONDS)
    checks = response.json["checks"]
    assert checks["redis"] == {"status": "unavailable", "latency_ms": checks["redis"]["latency_ms"]}
    assert "Error" not in response.text and "127.0.0.1" not in response.text
    assert checks["database_writer"]["status"] == "ok"
    assert checks["database_reader"]["status"] == "ok"
    # The reason goes to the log, for operators only.
    assert any("redis unavailable: ConnectionError" in r.getMessage() for r in caplog.records)


def test_readiness_checks_kafka_when_configured_and_is_503_when_it_is_down(
    settings, monkeypatch
) -> None:
    # The real Kafka client against a closed port: no broker answers.
    settings.KAFKA_BOOTSTRAP_SERVERS = "127.0.0.1:1"
    settings.HEALTH_CHECK_TIMEOUT_SECONDS = 0.5
    monkeypatch.setattr(kafka, "_producer", None)
    response = readiness()
    assert response.status_code == 503
    assert response.json["checks"]["kafka"]["status"] == "unavailable"


def test_probes_arriving_while_a_check_runs_share_its_result(monkeypatch) -> None:
    started, release, calls = threading.Event(), threading.Event(), []

    def slow_report() -> tuple[bool, dict]:
        calls.append(1)
        started.set()
        assert release.wait(10)
        return True, {"redis": {"status": "ok", "latency_ms": 1.0}}

    monkeypatch.setattr(health, "readiness_report", slow_report)
    results: list[tuple[bool, dict]] = []
    probes = [threading.Thread(target=lambda: results.append(health.readiness_report_shared()))]
    probes[0].start()
    assert started.wait(10)
    probes += [
        threading.Thread(target=lambda: results.append(health.readiness_report_shared()))
        for _ in range(3)
    ]
    for probe in probes[1:]:
        probe.start()
    waiting = health._in_flight._condition._waiters  # the three probes block on the shared check
    for _ in range(1000):
        if len(waiting) == 3:
            break
        threading.Event().wait(0.01)
    release.set()
    for probe in probes:
        probe.join(10)
    assert len(results) == 4 and all(result == results[0] for result in results)
    assert len(calls) == 1
    health.readiness_report_shared()  # the next probe, after it finished, checks again
    assert len(calls) == 2
