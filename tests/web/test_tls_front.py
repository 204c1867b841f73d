"""The web container's entry point (web/tls-front.mjs): Next's server behind TLS it makes at
start when SERVE_TLS=true (the ALB's web target is HTTPS), plain HTTP otherwise.

A stand-in server.js answers with the request path, so the test needs no Next build.
"""

from __future__ import annotations

import shutil
import signal
import socket
import ssl
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

REPO = Path(__file__).resolve().parents[2]
NODE = REPO / ".venv" / "bin" / "node"  # Node 24, as in the image
STAND_IN = """require("node:http").createServer((request, response) => response.end(request.url))
  .listen(Number(process.env.PORT), process.env.HOSTNAME ?? "0.0.0.0");
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def front(tmp_path: Path, **env: str) -> Iterator[tuple[int, subprocess.Popen]]:
    """tls-front.mjs beside a stand-in server.js, as in the image's /app; its port."""
    shutil.copy(REPO / "web" / "tls-front.mjs", tmp_path / "tls-front.mjs")
    (tmp_path / "server.js").write_text(STAND_IN)
    port = free_port()
    process = subprocess.Popen(
        [NODE, "tls-front.mjs"], cwd=tmp_path, env={"PORT": str(port), **env},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        yield port, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        process.communicate(timeout=10)


def get(url: str, context: ssl.SSLContext | None = None) -> str:
    deadline = time.monotonic() + 60  # the front generates its key and certificate first
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2, context=context) as response:
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_with_serve_tls_the_port_speaks_tls_with_a_fresh_self_signed_p256_certificate(tmp_path):
    with front(tmp_path, SERVE_TLS="true") as (port, process):
        unverified = ssl._create_unverified_context()
        assert get(f"https://127.0.0.1:{port}/healthz", unverified) == "/healthz"
        pem = ssl.get_server_certificate(("127.0.0.1", port))
        certificate = x509.load_pem_x509_certificate(pem.encode())
        assert certificate.issuer == certificate.subject
        assert certificate.public_key().curve.name == "secp256r1"
        assert isinstance(certificate.signature_hash_algorithm, hashes.SHA256)
        certificate.public_key().verify(  # signed by its own key: a well-formed certificate
            certificate.signature, certificate.tbs_certificate_bytes, ec.ECDSA(hashes.SHA256())
        )
        with socket.create_connection(("127.0.0.1", port)) as plain:  # plain HTTP is refused
            plain.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            assert b"/healthz" not in plain.recv(1024)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


def test_without_serve_tls_next_serves_http_on_the_port(tmp_path):
    with front(tmp_path) as (port, _process):
        assert get(f"http://127.0.0.1:{port}/healthz") == "/healthz"
