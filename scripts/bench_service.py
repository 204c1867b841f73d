"""Benchmark the API on ONE gunicorn worker: /health, /health/ready and the document list.

Not a test. Needs PostgreSQL and Redis on 127.0.0.1 (scripts/ensure-services.sh) and wrk
(`make bench-service` installs it from Debian). Builds a throw-away database `pcs_bench`
(migrated, one tenant, --documents processed documents), starts the API exactly as its task
definition does (`bin/api`: preflight, then gunicorn with pcs.gunicorn_conf and nothing else on
its command line, `SERVE_TLS=true`, `PORT`, production's logging at INFO) pinned to one core, so
gunicorn sizes itself to one worker as on a one-vCPU task, and drives each endpoint over HTTPS
with wrk pinned to another core, --runs times. Prints min/median/max of requests/s, p50 and
p99, every socket error and timeout wrk saw, non-2xx responses, and the machine's load average
(other processes share it).

    .venv/bin/python scripts/bench_service.py [--duration 10] [--runs 3] [--connections 8]
        [--service DIR]

CPU time per request is inflated by contention too (cache and scheduler effects: up to 3x on
this shared 2-core machine), so compare two versions in the same conditions: extract the older
one (`git archive <commit> service | tar -x -C /tmp/base`) and alternate runs with
`--service /tmp/base/service` and without.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SERVICE = REPO / "service"  # --service replaces it (another version's service/ directory)
DB_NAME = "pcs_bench"
ENV = {
    **os.environ,
    # bin/api runs `python` and `gunicorn` from PATH: this interpreter's.
    "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
    "DJANGO_SETTINGS_MODULE": "pcs.settings.local",
    "PCS_DB_NAME": DB_NAME,
    "PCS_DEBUG": "0",
    "PCS_REDIS_KEY_PREFIX": "pcs-bench:",
}
# What the API's task definition sets that gunicorn_conf and bin/api read (the container
# contract's API variables); everything else about the server is production's own default:
# LOG_LEVEL, GUNICORN_WORKERS and GUNICORN_WORKER_CONNECTIONS unset, access lines on.
SERVER_ENV = {"SERVE_TLS": "true"}
SERVER_ENV_UNSET = ("LOG_LEVEL", "GUNICORN_WORKERS", "GUNICORN_WORKER_CONNECTIONS")
SERVER_CORE, LOAD_CORE = 0, 1
WARM_UP_SECONDS = 5


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
    # Flush what creating and filling the database wrote, so that the checkpoint it would
    # otherwise bring (and the commit latency of its writes) does not land inside a run.
    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute("CHECKPOINT")
    return token


def free_port() -> int:
    """An unused local TCP port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_command() -> list[str]:
    """The API's start script, pinned to SERVER_CORE, with no argument of the benchmark's own."""
    return ["taskset", "-c", str(SERVER_CORE), str(SERVICE / "bin" / "api")]


def server_environment(port: int) -> dict[str, str]:
    """ENV plus what the API's task definition sets for the server (SERVER_ENV, PORT)."""
    environment = {**ENV, **SERVER_ENV, "PORT": str(port)}
    for name in SERVER_ENV_UNSET:
        environment.pop(name, None)
    return environment


def server_start(port: int) -> subprocess.Popen:
    """The API as production starts it (bin/api: TLS, production's gunicorn config and logging),
    on SERVER_CORE, ready to serve. Its stdout and stderr go down a pipe to a reader on
    LOAD_CORE, as a container's go to the log driver: every access and application line is
    formatted, redacted and written."""
    log_reader = subprocess.Popen(
        ["taskset", "-c", str(LOAD_CORE), "cat"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL
    )
    server = subprocess.Popen(
        server_command(), cwd=SERVICE, env=server_environment(port), stdout=log_reader.stdin,
        stderr=log_reader.stdin,
    )  # fmt: skip
    log_reader.stdin.close()  # the server holds the pipe; the reader ends when the server does
    deadline = time.monotonic() + 60
    unverified = ssl.create_default_context()  # the certificate is the one bin/api made
    unverified.check_hostname = False
    unverified.verify_mode = ssl.CERT_NONE
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPSConnection(
                "127.0.0.1", port, timeout=1, context=unverified
            )
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
        if server.poll() is not None:
            raise SystemExit(f"bin/api exited with {server.returncode}")
    server.kill()
    raise SystemExit("gunicorn did not start")


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * _UNITS[unit]


@dataclass(frozen=True)
class Run:
    """One wrk run's figures."""

    rps: float
    p50: float
    p99: float
    socket_errors: int  # connect + read + write errors
    timeouts: int
    non_2xx: int
    load: float  # the machine's 1-minute load average at the end of the run
    cpu_ms: float  # the worker's CPU time per request: what contention for the core cannot hide


def worker_cpu_seconds(master: subprocess.Popen) -> float:
    """User + system CPU time of gunicorn's worker process(es) so far."""
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    ticks = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def wrk(
    url: str, headers: dict[str, str], duration: int, connections: int, server: subprocess.Popen
) -> Run:
    """One wrk run on LOAD_CORE (one thread: one core)."""
    command = ["taskset", "-c", str(LOAD_CORE), "wrk", "-t1", f"-c{connections}",
               f"-d{duration}s", "--latency", "--timeout", "2s", url]  # fmt: skip
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    cpu_before = worker_cpu_seconds(server)
    report = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    cpu = worker_cpu_seconds(server) - cpu_before
    requests = int(re.search(r"(\d+) requests in", report).group(1))
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", report
    )
    connect, read, write, timeouts = (int(n) for n in sockets.groups()) if sockets else (0,) * 4
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", report)
    return Run(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", report).group(1)),
        p50=_ms(re.search(r"^\s+50%\s+(\S+)", report, re.M).group(1)),
        p99=_ms(re.search(r"^\s+99%\s+(\S+)", report, re.M).group(1)),
        socket_errors=connect + read + write,
        timeouts=timeouts,
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        load=os.getloadavg()[0],
        cpu_ms=cpu * 1000 / max(requests, 1),
    )


def spread(values: list[float], digits: int) -> str:
    """min / median / max."""
    return " / ".join(
        f"{v:.{digits}f}" for v in (min(values), statistics.median(values), max(values))
    )


def main() -> int:
    """Prepare, serve, load each endpoint --runs times, print the table."""
    global SERVICE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per run")
    parser.add_argument("--runs", type=int, default=3, help="runs per endpoint")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections")
    parser.add_argument("--documents", type=int, default=200, help="documents in the tenant")
    parser.add_argument("--service", type=Path, default=SERVICE, help="service/ to run")
    args = parser.parse_args()
    SERVICE = args.service.resolve()
    if shutil.which("wrk") is None:
        print("wrk is not installed: make bench-service installs it (apt-get install wrk)",
              file=sys.stderr)  # fmt: skip
        return 1
    if len(os.sched_getaffinity(0)) < 2:
        print("needs two cores: one for the server, one for wrk", file=sys.stderr)
        return 1
    if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode != 0:
        print("PostgreSQL is not running on 127.0.0.1:5432 (scripts/ensure-services.sh)",
              file=sys.stderr)  # fmt: skip
        return 1
    token = database_prepare(args.documents)
    port = free_port()
    server = server_start(port)
    auth = {"Authorization": f"Bearer {token}"}
    endpoints = [("/health", {}), ("/health/ready", {}), ("/api/v1/documents/?limit=50", auth)]
    print(f"bin/api (HTTPS, one gevent worker) on core {SERVER_CORE}, wrk on core {LOAD_CORE}: "
          f"{args.connections} connections, {args.runs} x {args.duration}s per endpoint; "
          f"load average before: {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"{'endpoint':30} {'req/s min/med/max':>24} {'p50 ms min/med/max':>22}"
          f" {'p99 ms min/med/max':>22} {'CPU ms/req':>10} {'sock err':>8} {'timeout':>7}"
          f" {'non-2xx':>7} {'load':>9}")  # fmt: skip
    try:
        for path, headers in endpoints:
            url = f"https://127.0.0.1:{port}{path}"
            # Warm-up: the pool's connections, caches, and autovacuum's first pass over the
            # tables the audit records fill (it ran into the first run after a 2 s warm-up).
            wrk(url, headers, WARM_UP_SECONDS, args.connections, server)
            runs = [
                wrk(url, headers, args.duration, args.connections, server) for _ in range(args.runs)
            ]
            print(
                f"{path:30} {spread([r.rps for r in runs], 0):>24}"
                f" {spread([r.p50 for r in runs], 2):>22} {spread([r.p99 for r in runs], 2):>22}"
                f" {statistics.median(r.cpu_ms for r in runs):10.3f}"
                f" {sum(r.socket_errors for r in runs):8d} {sum(r.timeouts for r in runs):7d}"
                f" {sum(r.non_2xx for r in runs):7d} {spread([r.load for r in runs], 1):>9}"
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=40)
    return 0


if __name__ == "__main__":
    sys.exit(main())
