"""Private PostgreSQL, Redis and gunicorn instances for the fault tests.

Each instance listens on a free port of its own and lives in a temporary directory, so a test
can freeze (SIGSTOP), stop or restart it without touching the shared 127.0.0.1:5432/6379.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

SERVICE = Path(__file__).resolve().parents[3] / "service"


def free_port() -> int:
    """An unused local TCP port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, *, seconds: float = 30.0) -> None:
    """Return once something accepts connections on `port`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {seconds}s")


def _postgres_bindir() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").iterdir(), key=lambda p: int(p.name))
    return versions[-1] / "bin"


class PrivatePostgres:
    """A throw-away PostgreSQL cluster (trust auth, no fsync) on its own port."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.data = directory / "data"
        self.bindir = _postgres_bindir()
        # initdb refuses to run as root: the cluster belongs to the postgres account then.
        self._as_owner: Sequence[str] = (
            ("runuser", "-u", "postgres", "--") if os.geteuid() == 0 else ()
        )
        if os.geteuid() == 0:
            shutil.chown(directory, "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "pcs")

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run(
            [*self._as_owner, str(self.bindir / tool), *args],
            check=True, capture_output=True, cwd=self.directory,
        )  # fmt: skip

    def start(self) -> None:
        """Start and wait until it accepts connections."""
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.directory / "log"), "-o", options,
            "-w", "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        """Shut down (fast: connected clients see the server go away; immediate: at once)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def pids(self) -> list[int]:
        """The postmaster and every process it forked (backends, checkpointer, ...)."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == postmaster:
                children.append(int(stat.parent.name))
        return [postmaster, *children]

    def freeze(self) -> None:
        """SIGSTOP every process: the kernel still accepts and acknowledges, nothing answers."""
        for pid in self.pids():
            os.kill(pid, signal.SIGSTOP)

    def thaw(self) -> None:
        """SIGCONT every process (one that exited since it was listed needs none)."""
        for pid in self.pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)


class PrivateRedis:
    """A Redis server without persistence on its own port; restartable."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start and wait until it accepts connections."""
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port)

    def stop(self) -> None:
        """Kill it: whatever was queued in it is lost, as on a node replacement."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    @property
    def url(self) -> str:
        """The broker URL of this instance."""
        return f"redis://127.0.0.1:{self.port}/0"


def service_env(postgres: PrivatePostgres, **extra: str) -> dict[str, str]:
    """Environment of a service process on the private database (pooled, test settings)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pcs.settings.test",
        "PCS_DB_PORT": str(postgres.port),
        "PCS_DB_NAME": "pcs",
        "PCS_DB_USER": "postgres",
        "PCS_DB_POOL": "1",
        **extra,
    }


def manage(env: dict[str, str], *args: str) -> str:
    """Run manage.py in the service directory; its stdout."""
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=SERVICE, env=env, check=True,
        capture_output=True, text=True,
    ).stdout  # fmt: skip


class Gunicorn:
    """The API exactly as the container runs it (gunicorn config), one worker, on a free port."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self._log = log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "python:pcs.gunicorn_conf",
             "--workers", "1", "--bind", f"127.0.0.1:{self.port}", "pcs.wsgi:application"],
            cwd=SERVICE, env=env, stdout=self._log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self._wait_until_serving()

    def _wait_until_serving(self, seconds: float = 60.0) -> None:
        # The master listens before its worker has loaded Django: wait for a real answer.
        deadline = time.monotonic() + seconds
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/health")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"gunicorn did not serve on {self.port}")
            time.sleep(0.1)

    def stop(self) -> None:
        """SIGTERM, then wait for the graceful exit."""
        self.process.terminate()
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()
