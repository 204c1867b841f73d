"""Run a snippet in a child interpreter under the API worker's gevent patching.

gevent's monkey-patching cannot be undone, so code that behaves differently under it (psycopg's
waits, the client-side query deadline) is tested in a child process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SERVICE = Path(__file__).resolve().parents[2] / "service"

PRELUDE = """
from gevent import monkey
monkey.patch_all()
import time
import gevent
import psycopg
from gunicorn.workers.ggevent import GeventWorker
from pcs.gunicorn_worker import JsonErrorGeventWorker

GeventWorker.patch = lambda self: None  # already patched above; installs nothing of its own
JsonErrorGeventWorker.patch(object.__new__(JsonErrorGeventWorker))
DSN = "host=127.0.0.1 user=postgres dbname=postgres connect_timeout=3"
"""

# Django on the shared server's `postgres` database (no tables needed), as the API runs it.
DJANGO = {"DJANGO_SETTINGS_MODULE": "pcs.settings.local", "PCS_DB_NAME": "postgres",
          "PCS_DEBUG": "0", "LOG_LEVEL": "WARNING"}  # fmt: skip


def run_patched(body: str, *, django: bool = False) -> str:
    """The child's stdout; fails the calling test with its stderr if it fails."""
    setup = "import django\ndjango.setup()\n" if django else ""
    child = subprocess.run(
        [sys.executable, "-c", PRELUDE + setup + body],
        cwd=SERVICE, capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, **(DJANGO if django else {})},
    )  # fmt: skip
    assert child.returncode == 0, child.stderr
    return child.stdout.strip()
