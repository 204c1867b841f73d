"""A COMMIT sent to a database that froze after the transaction's last query gives up in time.

Run in a gevent-patched subprocess, as the API runs: it queries in a transaction, freezes its
own server process of the private PostgreSQL (SIGSTOP) and commits. Without a deadline the
COMMIT waits as long as the freeze lasts; with it, DatabaseStalled (503) after the client
deadline.
"""

from __future__ import annotations

import subprocess
import sys
import time

from pcs.db.deadline import client_deadline_seconds
from tests.service.faults.servers import SERVICE, PrivatePostgres, service_env

SCRIPT = """
from gevent import monkey

monkey.patch_all()
import os, signal, time
import django

django.setup()
from django.db import connection, transaction
from pcs.db.deadline import DatabaseStalled

started = None
try:
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            os.kill(cursor.fetchone()[0], signal.SIGSTOP)
        started = time.monotonic()
except DatabaseStalled:
    print(f"stalled after {time.monotonic() - started:.1f}s")
"""


def test_a_commit_to_a_frozen_database_gives_up_after_the_client_deadline(
    private_postgres: PrivatePostgres,
) -> None:
    started = time.monotonic()
    try:
        result = subprocess.run(
            [sys.executable, "-c", SCRIPT], cwd=SERVICE, env=service_env(private_postgres),
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    finally:
        private_postgres.thaw()
    last = (result.stdout.splitlines() or [""])[-1]  # after the pool's JSON log line
    assert last.startswith("stalled after"), result.stdout[-2000:] + result.stderr[-2000:]
    waited = float(last.split()[2].rstrip("s"))
    assert client_deadline_seconds() - 0.5 <= waited < client_deadline_seconds() + 2
    assert time.monotonic() - started < 60
