"""The portal end to end: `service/bin/run-local` (API, worker, Beat, web, local OpenID provider,
moto's S3) on free ports against a fresh database, and Debian's Chromium driven by Playwright.

Next.js is built by `make test` before pytest runs (once per run); these fixtures only start it.
Every request the browser makes outside 127.0.0.1 is refused, so nothing reaches the network.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import redis
from playwright.sync_api import Browser, Page, Route, sync_playwright

REPO = Path(__file__).resolve().parents[2]
WEB = REPO / "web"
SCREENSHOTS = REPO / "out" / "web-e2e"
AXE = WEB / "node_modules" / "axe-core" / "axe.min.js"
START_SECONDS = 120


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Portal:
    """The running stack's addresses."""

    web: str
    api: str
    issuer: str
    log: Path
    database: str

    def sign_in_name(self, member: str) -> str:
        """The pool username `member` signs in with (generated when they were added: the user
        pool's invitation tells them; run-local prints its members')."""
        with psycopg.connect(f"host=127.0.0.1 user=postgres dbname={self.database}") as conn:
            row = conn.execute(
                "SELECT u.username FROM tenancy_membership m JOIN auth_user u ON u.id = m.user_id"
                " WHERE m.username = %s",
                (member,),
            ).fetchone()
        assert row, f"no member {member!r}"
        return row[0]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _delete_keys(url: str, prefix: str) -> None:
    client = redis.Redis.from_url(url)
    for key in client.scan_iter(match=f"{prefix}*", count=500):
        client.delete(key)


def _drop_database(name: str) -> None:
    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    """run-local on free ports, its own database and Redis key prefix; all removed afterwards."""
    server = WEB / ".next" / "standalone" / "server.js"
    assert server.exists(), "the portal is not built: run `make web-build` (make test does)"
    ports = {name: free_port() for name in ("PORT", "PCS_WEB_PORT", "PCS_OIDC_PORT", "PCS_S3_PORT")}
    database = f"pcs_web_e2e_{os.getpid()}"
    redis_url = "redis://127.0.0.1:6379/15"
    key_prefix = f"pcs-web-e2e-{os.getpid()}-{uuid.uuid4().hex[:8]}:"
    log = tmp_path_factory.mktemp("portal") / "run-local.log"
    environment = {
        "PATH": f"{REPO / '.venv' / 'bin'}:/usr/local/bin:/usr/bin:/bin",
        "HOME": os.environ.get("HOME", "/root"),
        "PCS_DB_NAME": database,
        "PCS_REDIS_URL": redis_url,
        "PCS_REDIS_KEY_PREFIX": key_prefix,
        "PCS_BEAT_SCHEDULE": str(log.parent / "celerybeat-schedule"),
        "GUNICORN_WORKERS": "1",
        **{name: str(port) for name, port in ports.items()},
    }
    _drop_database(database)
    with log.open("w") as output:
        process = subprocess.Popen(
            [REPO / "service" / "bin" / "run-local"],
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    portal = Portal(
        web=f"http://127.0.0.1:{ports['PCS_WEB_PORT']}",
        api=f"http://127.0.0.1:{ports['PORT']}",
        issuer=f"http://127.0.0.1:{ports['PCS_OIDC_PORT']}",
        log=log,
        database=database,
    )
    try:
        deadline = time.monotonic() + START_SECONDS
        checks = (
            f"{portal.web}/healthz",
            f"{portal.api}/health",
            f"{portal.issuer}/.well-known/openid-configuration",
        )
        while not all(_answers(url) for url in checks):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"run-local did not start:\n{log.read_text()[-4000:]}")
            time.sleep(0.5)
        yield portal
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        _drop_database(database)
        _delete_keys(redis_url, key_prefix)


# Package scope: Playwright's sync API keeps an event loop running in this thread while it is
# open, and Django refuses database calls from a thread with a running loop; the tests that a
# pytest-xdist worker runs after these ones would fail.
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, through its executable path (no browser is downloaded)."""
    executable = shutil.which("chromium")
    assert executable, "Chromium is missing: scripts/ensure-chromium.sh installs Debian's package"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True)
        yield browser
        browser.close()


def _local_only(route: Route) -> None:
    host = route.request.url.split("/")[2].split(":")[0] if "://" in route.request.url else ""
    if host == "127.0.0.1" or route.request.url.startswith(("data:", "blob:")):
        route.continue_()
    else:
        route.abort()


def new_page(browser: Browser, **context_options: object) -> Page:
    """A fresh browser context (its own session) whose requests stay on this machine."""
    context = browser.new_context(**context_options)
    context.route("**/*", _local_only)
    context.set_default_timeout(20_000)
    return context.new_page()


def screenshot(page: Page, name: str) -> Path:
    """Write the page as a test artifact under out/web-e2e/ (not committed)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path


def serious_accessibility_violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now."""
    page.add_script_tag(path=AXE)
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map(n => n.target)})`)"""
    )
    return list(violations)
