"""Benchmark the API on ONE gunicorn worker: /health, /health/ready and the document list.

Not a test. Needs PostgreSQL and Redis on 127.0.0.1 (scripts/ensure-services.sh). Builds a
throw-away database `pcs_bench` (migrated, one tenant, --documents processed documents), starts
gunicorn with one worker (production gthread config, DEBUG off), and drives it from a second
process: wrk when installed (apt-get install wrk), otherwise a threaded keep-alive client.
Prints requests/s and p50/p99 latency per endpoint.

    .venv/bin/python scripts/bench_service.py [--duration 10] [--connections 8]
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SERVICE = REPO / "service"
DB_NAME = "pcs_bench"
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "pcs.settings.local",
    "PCS_DB_NAME": DB_NAME,
    "PCS_DEBUG": "0",
    "PCS_REDIS_KEY_PREFIX": "pcs-bench:",
    "LOG_LEVEL": "WARNING",
}


def run(*args: str) -> str:
    """Run a command in service/ with the bench environment; its stdout."""
    return subprocess.run(
        args, cwd=SERVICE, env=ENV, check=True, capture_output=True, text=True
    ).stdout


def database_prepare(documents: int) -> str:
    """Fresh database, migrated, one tenant with `documents` documents; the tenant's token."""
    import psycopg

    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    python = sys.executable
    run(python, "manage.py", "migrate", "--noinput")
    token = run(
        python, "manage.py", "tenant_create", "--organization", "bench", "--username", "bench"
    ).strip()
    with psycopg.connect(f"host=127.0.0.1 user=postgres dbname={DB_NAME}") as conn:
        org_id, user_id = conn.execute(
            "SELECT organization_id, user_id FROM tenancy_membership"
        ).fetchone()
        rows = [
            (uuid.uuid4(), org_id, f"Document {i}", f"doc-{i}.pdf", "application/pdf",
             f"{org_id}/{i}/doc.pdf", "processed", 1024 * i, "ab" * 32, "application/pdf", "",
             user_id)
            for i in range(documents)
        ]  # fmt: skip
        with conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO documents_document (id, organization_id, title, filename,"
                " content_type, object_key, status, size_bytes, checksum_sha256,"
                " detected_content_type, failure_reason, created_by_id, created_at, updated_at,"
                " processed_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,"
                " now(), now(), now())",
                rows,
            )
    return token


def free_port() -> int:
    """An unused local TCP port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_start(port: int) -> subprocess.Popen:
    """gunicorn with one worker (threads as in production), ready to serve."""
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "python:pcs.gunicorn_conf",
         "--workers", "1", "--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null",
         "pcs.wsgi:application"],
        cwd=SERVICE, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * _UNITS[unit]


def load_wrk(url: str, headers: dict[str, str], duration: int, connections: int) -> dict:
    """wrk in its own process; requests/s, p50/p99 and non-2xx count from its report."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    report = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", report)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", report).group(1)),
        "p50": _ms(re.search(r"^\s+50%\s+(\S+)", report, re.M).group(1)),
        "p99": _ms(re.search(r"^\s+99%\s+(\S+)", report, re.M).group(1)),
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
    }


def _client_process(port, path, headers, duration, connections, out) -> None:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + duration

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine: list[float] = []
        while time.monotonic() < deadline:
            started = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            mine.append((time.perf_counter() - started) * 1000)
            if response.status != 200:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    out.put(
        {
            "rps": len(latencies) / duration,
            "p50": latencies[len(latencies) // 2],
            "p99": latencies[int(len(latencies) * 0.99)],
            "errors": errors[0],
        }
    )


def load_python(port: int, path: str, headers: dict, duration: int, connections: int) -> dict:
    """The fallback client: keep-alive connections on threads, in a second process."""
    out: multiprocessing.Queue = multiprocessing.Queue()
    process = multiprocessing.Process(
        target=_client_process, args=(port, path, headers, duration, connections, out)
    )
    process.start()
    result = out.get()
    process.join()
    return result


def main() -> int:
    """Prepare, serve, load each endpoint, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per endpoint")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections")
    parser.add_argument("--documents", type=int, default=200, help="documents in the tenant")
    parser.add_argument(
        "--client", choices=("auto", "wrk", "python"), default="auto",
        help="load generator: wrk, the built-in threaded client, or wrk when installed",
    )  # fmt: skip
    args = parser.parse_args()
    if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode != 0:
        print(
            "PostgreSQL is not running on 127.0.0.1:5432 (scripts/ensure-services.sh)",
            file=sys.stderr,
        )
        return 1
    token = database_prepare(args.documents)
    port = free_port()
    server = server_start(port)
    auth = {"Authorization": f"Bearer {token}"}
    endpoints = [
        ("/health", {}),
        ("/health/ready", {}),
        ("/api/v1/documents/?limit=50", auth),
    ]
    tool = args.client
    if tool == "auto":
        tool = "wrk" if shutil.which("wrk") else "python"
    print(f"one gunicorn worker (gthread, {ENV.get('GUNICORN_THREADS', 4)} threads), "
          f"load: {tool}, {args.connections} connections, {args.duration}s each")  # fmt: skip
    print(f"{'endpoint':32} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-200':>8}")
    try:
        for path, headers in endpoints:
            if tool == "wrk":
                result = load_wrk(f"http://127.0.0.1:{port}{path}", headers, args.duration,
                                  args.connections)  # fmt: skip
            else:
                result = load_python(port, path, headers, args.duration, args.connections)
            print(
                f"{path:32} {result['rps']:9.1f} {result['p50']:8.2f} {result['p99']:8.2f}"
                f" {result['errors']:8d}"
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=40)
    return 0


if __name__ == "__main__":
    sys.exit(main())
