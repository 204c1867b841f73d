"""Clients that send a body slowly hold no request slot: `/health` is still answered, and each
slow client gets 408 once the body timeout passes.

Eight connections declare a 100 kB body, send 16 bytes and stall (issue 11 measured `/health`
timing out for 25 s this way under gthread), against the API as the container runs it.
"""

from __future__ import annotations

import http.client
import socket
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.service.faults.servers import Gunicorn, PrivatePostgres, service_env

SLOW_CLIENTS = 8
BODY_TIMEOUT_SECONDS = 4


@pytest.fixture
def api(private_postgres: PrivatePostgres, tmp_path: Path) -> Iterator[Gunicorn]:
    env = service_env(private_postgres, PCS_REQUEST_BODY_TIMEOUT_SECONDS=str(BODY_TIMEOUT_SECONDS))
    server = Gunicorn(env, tmp_path / "gunicorn.log")
    yield server
    server.stop()


def slow_client(port: int, token: str) -> socket.socket:
    """A connection that promised 100,000 bytes of body and sent 16."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.sendall(
        b"POST /api/v1/documents/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + f"Authorization: Bearer {token}\r\n".encode()
        + b"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
        + b'{"title": "slow"'
    )
    return sock


def test_eight_slow_body_clients_do_not_stop_health_checks(api: Gunicorn, private_token: str):
    clients = [slow_client(api.port, private_token) for _ in range(SLOW_CLIENTS)]
    try:
        time.sleep(0.5)  # every slow request is now inside the worker, waiting for its body
        seconds = []
        for _ in range(10):
            started = time.monotonic()
            connection = http.client.HTTPConnection("127.0.0.1", api.port, timeout=5)
            connection.request("GET", "/health")
            assert connection.getresponse().status == 200
            connection.close()
            seconds.append(time.monotonic() - started)
            time.sleep(0.2)
        # Milliseconds, not the 25 s timeouts measured under gthread; the median is robust to
        # other engineers' processes taking this machine's two cores for a moment.
        assert statistics.median(seconds) < 0.1, seconds
        # The slow clients were held open all along, not dropped to make room...
        for sock in clients:
            sock.setblocking(False)
            with pytest.raises(BlockingIOError):
                sock.recv(1)
        # ...until their body timeout: then each gets a JSON 408.
        expected = b'{"detail": "Request body not received in time."}'
        for sock in clients:
            sock.settimeout(BODY_TIMEOUT_SECONDS + 5)
            response = b""
            while expected not in response and (chunk := sock.recv(65536)):
                response += chunk
            assert response.startswith(b"HTTP/1.1 408 "), response[:100]
            assert expected in response
    finally:
        for sock in clients:
            sock.close()
