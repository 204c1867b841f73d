"""Requests gunicorn itself refuses (before Django sees them) are answered in JSON too."""

from __future__ import annotations

import http.client
import json
import os
import socket
import time
from collections.abc import Iterator

import pytest

from tests.service.faults.servers import Gunicorn
from tests.service.gevent_child import run_patched


@pytest.fixture(scope="module")
def api(tmp_path_factory) -> Iterator[Gunicorn]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "pcs.settings.test"}
    server = Gunicorn(env, tmp_path_factory.mktemp("gunicorn") / "gunicorn.log")
    yield server
    server.stop()


def raw_request(port: int, request: bytes) -> tuple[int, dict[str, str], bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        response = b""
        while chunk := sock.recv(65536):
            response += chunk
    head, _, body = response.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in header_lines)
    return int(status_line.split()[1]), {k.lower(): v for k, v in headers.items()}, body


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 9000 + b"\r\n\r\n", 431),
        (b"NOT A REQUEST\r\n\r\n", 400),
    ],
    ids=["uri-too-long", "header-too-large", "malformed"],
)
def test_gunicorns_own_errors_are_json(api: Gunicorn, request_bytes: bytes, status: int) -> None:
    answered, headers, body = raw_request(api.port, request_bytes)
    assert answered == status
    assert headers["content-type"] == "application/json"
    assert set(json.loads(body)) == {"detail"}


def access_line(api: Gunicorn, request_id: str) -> dict:
    """The JSON access line of the request with this id (gunicorn writes it after answering)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for line in open(api._log.name, encoding="utf-8"):  # noqa: SIM115
            if line.startswith("{") and f'"{request_id}"' in line:
                entry = json.loads(line)
                if entry["logger"] == "gunicorn.access":
                    return entry
        time.sleep(0.1)
    raise AssertionError(f"no access line for {request_id}")


def test_each_request_is_one_json_access_line_with_credentials_redacted(api: Gunicorn) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", api.port, timeout=10)
    agent = "probe/1.0 Bearer pcs_" + "A1b2-C3d4_" * 4
    connection.request("GET", "/health", headers={"X-Request-ID": "access-1", "User-Agent": agent})
    assert connection.getresponse().status == 200
    entry = access_line(api, "access-1")
    assert entry["message"] == "request"
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/health", "200")
    assert entry["remote"] == "127.0.0.1" and entry["bytes"] > 0 and entry["duration_ms"] >= 0
    assert entry["user_agent"] == "probe/1.0 Bearer [REDACTED]"


def test_the_loaded_app_is_frozen_out_of_the_collectors_sight() -> None:
    # The worker's hook after loading the app: full collections then walk only what requests
    # allocate (the list's p99, docs/service.md).
    out = run_patched(
        """
import gc
from pcs import gunicorn_conf, wsgi

tracked = len(gc.get_objects())
gunicorn_conf.post_worker_init(None)
print(tracked > 100_000, gc.get_freeze_count() > tracked // 2, len(gc.get_objects()) < 1_000)
""",
        django=True,
    )
    assert out == "True True True"
