"""A frozen or stopped PostgreSQL: liveness keeps answering, everything else 503s in time.

The API runs as in the container (gunicorn with the production config, one worker) against a
private PostgreSQL that the tests freeze with SIGSTOP and stop.
"""

from __future__ import annotations

import http.client
import json
import statistics
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings

from pcs.db.deadline import client_deadline_seconds
from tests.service.faults.servers import Gunicorn, PrivatePostgres, service_env

LIST = "/api/v1/documents/"


def get(port: int, path: str, token: str | None = None) -> tuple[int, dict, dict, float]:
    """Status, JSON body, headers and seconds taken of one GET on a fresh connection."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = json.loads(response.read() or b"{}")
        return response.status, body, dict(response.getheaders()), time.monotonic() - started
    finally:
        connection.close()


def wait_ready(port: int, seconds: float = 30) -> None:
    """Until readiness says 200 (the pool replaced its broken connections)."""
    deadline = time.monotonic() + seconds
    while get(port, "/health/ready")[0] != 200:
        assert time.monotonic() < deadline, "readiness did not recover"
        time.sleep(0.2)


@pytest.fixture(scope="module")
def api(private_postgres: PrivatePostgres, tmp_path_factory) -> Iterator[Gunicorn]:
    log = Path(tmp_path_factory.mktemp("api")) / "gunicorn.log"
    server = Gunicorn(service_env(private_postgres), log)
    yield server
    server.stop()


@pytest.fixture
def database(private_postgres: PrivatePostgres, api: Gunicorn, private_token: str):
    """The private database, warm (the pool holds connections), restored after the test."""
    assert get(api.port, LIST, private_token)[0] == 200
    wait_ready(api.port)
    yield private_postgres
    private_postgres.thaw()
    if not (private_postgres.data / "postmaster.pid").exists():
        private_postgres.start()
    wait_ready(api.port)


def test_frozen_database_keeps_liveness_fast_and_fails_readiness_and_reads_in_time(
    database: PrivatePostgres, api: Gunicorn, private_token: str
) -> None:
    database.freeze()
    with ThreadPoolExecutor(4) as pool:
        stuck_reads = [pool.submit(get, api.port, LIST, private_token) for _ in range(3)]
        time.sleep(0.2)  # the reads are now waiting on the frozen server
        liveness = [get(api.port, "/health") for _ in range(5)]
        assert [status for status, *_ in liveness] == [200] * 5
        # The median: robust to other processes taking this shared machine's cores a moment.
        assert statistics.median(seconds for *_, seconds in liveness) < 0.1

        status, body, headers, seconds = get(api.port, "/health/ready")
        assert status == 503
        assert seconds < settings.HEALTH_CHECK_TIMEOUT_SECONDS + 0.5
        assert body["checks"]["database_writer"]["status"] == "unavailable"
        assert body["checks"]["redis"]["status"] == "ok"
        assert headers["Retry-After"] == str(settings.RETRY_AFTER_SECONDS)

        for read in stuck_reads:
            status, body, headers, seconds = read.result()
            assert status == 503, body
            assert seconds < client_deadline_seconds() + 1
            assert headers["Retry-After"] == str(settings.RETRY_AFTER_SECONDS)
            assert body == {"detail": "A dependency is temporarily unavailable; retry later."}
    database.thaw()
    wait_ready(api.port)
    assert get(api.port, LIST, private_token)[0] == 200


def test_stopped_database_gives_503_with_retry_after_not_500(
    database: PrivatePostgres, api: Gunicorn, private_token: str
) -> None:
    database.stop()
    for path, token in ((LIST, private_token), ("/health/ready", None)):
        status, body, headers, seconds = get(api.port, path, token)
        assert status == 503, (path, body)
        assert headers["Retry-After"] == str(settings.RETRY_AFTER_SECONDS)
        assert seconds < settings.HEALTH_CHECK_TIMEOUT_SECONDS + 0.5
    assert get(api.port, "/health")[0] == 200
    database.start()
    wait_ready(api.port)
    assert get(api.port, LIST, private_token)[0] == 200
