"""Requests gunicorn itself refuses (before Django sees them) are answered in JSON too."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator

import pytest

from tests.service.faults.servers import Gunicorn


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
