"""The start scripts (api, worker, beat, migrate), run from the venv as the image runs them."""

from __future__ import annotations

import json
import os
import signal
import socket
import ssl
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from cryptography import x509

REPO = Path(__file__).resolve().parents[3]
BIN = REPO / "service" / "bin"
ROLES = ("api", "worker", "beat", "migrate")


def script_env(**extra: str) -> dict[str, str]:
    """The venv first on PATH, as in the image; nothing else inherited but what is given."""
    return {
        "PATH": f"{REPO / '.venv' / 'bin'}:/usr/bin:/bin",
        "PCS_REDIS_KEY_PREFIX": os.environ["PCS_REDIS_KEY_PREFIX"],
        **extra,
    }


@pytest.mark.parametrize("role", ROLES)
def test_each_start_script_is_strict_and_execs_its_process(role: str) -> None:
    path = BIN / role
    assert os.access(path, os.X_OK)
    lines = path.read_text().splitlines()
    assert lines[0] == "#!/usr/bin/env bash"
    assert "set -o errexit -o pipefail -o nounset" in lines
    assert lines[-1].startswith("exec ")


@pytest.mark.parametrize("role", ROLES)
def test_a_missing_variable_stops_every_role_with_one_line(role: str) -> None:
    environment = script_env(
        DJANGO_SETTINGS_MODULE="pcs.settings.production", DB_PASSWORD="s3cr3t-value"
    )
    result = subprocess.run(
        [BIN / role], env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 78
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("configuration error: Missing required environment variables:")
    assert "SECRET_KEY" in result.stderr and "REDIS_AUTH_TOKEN" in result.stderr
    assert "DB_PASSWORD" not in result.stderr


def test_the_specs_bare_celery_command_also_stops_with_one_line() -> None:
    environment = script_env(DJANGO_SETTINGS_MODULE="pcs.settings.production")
    result = subprocess.run(
        [REPO / ".venv" / "bin" / "celery", "-A", "pcs", "worker", "-l", "info", "-c", "4"],
        cwd=REPO / "service", env=environment, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 78
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("configuration error: Missing required environment variables:")


@contextmanager
def _fresh_database(name: str) -> Iterator[str]:
    """A new, empty database on the local server, dropped afterwards."""
    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    yield name
    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def empty_database() -> Iterator[str]:
    """A new, empty database for one test."""
    with _fresh_database(f"pcs_migrate_{os.getpid()}") as name:
        yield name


@dataclass(frozen=True)
class MigrateRun:
    """One run of bin/migrate on a fresh database: where, which app role, what it printed."""

    database: str
    app_role: str
    result: subprocess.CompletedProcess


@pytest.fixture(scope="module")
def migrate_run() -> Iterator[MigrateRun]:
    """bin/migrate once on a fresh database; the tests below read what it left."""
    role = f"pcs_app_migrate_{os.getpid()}"
    with _fresh_database(f"pcs_migrated_{os.getpid()}") as database:
        environment = script_env(
            DJANGO_SETTINGS_MODULE="pcs.settings.test",
            PCS_DB_NAME=database,
            PCS_DB_APP_USER=role,
            PCS_DB_APP_PASSWORD="migrate-test-password",
        )
        result = subprocess.run(
            [BIN / "migrate"], env=environment, capture_output=True, text=True, timeout=120
        )
        yield MigrateRun(database=database, app_role=role, result=result)
        # Roles are cluster-wide: drop the role (and its grants) before its database goes.
        with psycopg.connect(
            f"host=127.0.0.1 user=postgres dbname={database}", autocommit=True
        ) as conn:
            if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone():
                conn.execute(f"DROP OWNED BY {role}")
                conn.execute(f"DROP ROLE {role}")


def test_migrate_builds_the_schema_with_forced_row_level_security(migrate_run: MigrateRun) -> None:
    assert migrate_run.result.returncode == 0, migrate_run.result.stderr
    assert f"created database role {migrate_run.app_role}" in migrate_run.result.stdout
    with psycopg.connect(f"host=127.0.0.1 user=postgres dbname={migrate_run.database}") as conn:
        forced = conn.execute(
            "SELECT relforcerowsecurity FROM pg_class WHERE relname = 'documents_document'"
        ).fetchone()
        policies = conn.execute(
            "SELECT policyname FROM pg_policies WHERE tablename = 'documents_document'"
        ).fetchall()
    assert forced == (True,)
    assert policies == [("tenant_isolation",)]


def test_migrate_leaves_the_services_role_able_to_use_the_new_tables(
    migrate_run: MigrateRun,
) -> None:
    assert migrate_run.result.returncode == 0, migrate_run.result.stderr
    dsn = f"host=127.0.0.1 user={migrate_run.app_role} dbname={migrate_run.database}"
    with psycopg.connect(dsn) as conn:
        assert conn.execute("SELECT count(*) FROM outbox_outboxevent").fetchone() == (0,)
        role = conn.execute(
            "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
    assert role == (False, False)


def test_migrate_refuses_a_role_that_bypasses_row_level_security(empty_database: str) -> None:
    environment = script_env(
        DJANGO_SETTINGS_MODULE="pcs.settings.test",
        PCS_DB_NAME=empty_database,
        PCS_DB_USER="postgres",
        PCS_REQUIRE_RLS_ROLE="1",
    )
    result = subprocess.run(
        [BIN / "migrate"], env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "tenancy.E001" in result.stderr and "bypasses row-level security" in result.stderr


@pytest.fixture(scope="module")
def bypassrls_role() -> Iterator[str]:
    """A login role that is not a superuser but has BYPASSRLS."""
    role = f"pcs_bypass_{os.getpid()}"
    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN NOSUPERUSER BYPASSRLS")
    yield role
    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f"DROP ROLE {role}")


@pytest.mark.parametrize("role", ("api", "worker", "beat"))
@pytest.mark.parametrize("database_role", ("superuser", "bypassrls"))
def test_each_service_refuses_a_role_that_bypasses_row_level_security(
    role: str, database_role: str, bypassrls_role: str
) -> None:
    user = "postgres" if database_role == "superuser" else bypassrls_role
    environment = script_env(
        DJANGO_SETTINGS_MODULE="pcs.settings.test",
        PCS_DB_NAME="postgres",
        PCS_DB_USER=user,
        PCS_REQUIRE_RLS_ROLE="1",
    )
    result = subprocess.run(
        [BIN / role], env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 78
    assert result.stderr == (
        f"configuration error: tenancy.E001 database role '{user}' (default) bypasses"
        f" row-level security; tenancy.E001 database role '{user}' (reader) bypasses"
        f" row-level security; tenancy.E001 database role '{user}' (publisher) bypasses"
        " row-level security\n"
    )


def free_port() -> int:
    """An unused TCP port on localhost."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


API_START_SECONDS = 120


@pytest.mark.django_db(transaction=True, databases=["default", "reader"])
def test_api_serves_health_logs_json_and_stops_gracefully_on_sigterm(app_db_env) -> None:
    port = free_port()
    environment = script_env(
        **app_db_env,
        DJANGO_SETTINGS_MODULE="pcs.settings.test",
        PORT=str(port),
        GUNICORN_WORKERS="1",
    )
    api = subprocess.Popen(
        [BIN / "api"], env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        # Generous (a loaded machine took over 30 s to import Django and boot the worker), but
        # a start that hangs still fails here, and one that exits fails at once.
        deadline = time.monotonic() + API_START_SECONDS
        while True:
            assert api.poll() is None, f"bin/api exited {api.returncode} before serving"
            try:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/health", headers={"X-Request-ID": "probe-1"}
                )
                with urllib.request.urlopen(request, timeout=1) as response:
                    assert response.status == 200
                    assert response.headers["X-Request-ID"] == "probe-1"
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready") as response:
                    assert json.load(response)["status"] == "ready"
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
    finally:
        api.send_signal(signal.SIGTERM)
        output, _ = api.communicate(timeout=40)
    assert api.returncode == 0
    access = [
        json.loads(line)
        for line in output.splitlines()
        if line.startswith("{") and '"gunicorn.access"' in line
    ]
    assert access and access[0]["path"] == "/health" and access[0]["status"] == "200"
    assert access[0]["request_id"] == "probe-1"
    assert "Shutting down" in output or "Handling signal: term" in output


def healthcheck(port: int, **extra: str) -> subprocess.CompletedProcess:
    """The image's container health check (bin/healthcheck) against ``port``."""
    return subprocess.run(
        [BIN / "healthcheck", "/health", "2"],
        env=script_env(PORT=str(port), **extra), capture_output=True, text=True, timeout=10,
    )  # fmt: skip


@pytest.mark.django_db(transaction=True, databases=["default", "reader"])
def test_api_serves_tls_with_a_certificate_made_at_start_and_the_health_check_uses_it(
    app_db_env,
) -> None:
    port = free_port()
    environment = script_env(
        **app_db_env,
        DJANGO_SETTINGS_MODULE="pcs.settings.test",
        PORT=str(port),
        GUNICORN_WORKERS="1",
        SERVE_TLS="true",
    )
    api = subprocess.Popen(
        [BIN / "api"], env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        deadline = time.monotonic() + 30
        while healthcheck(port, SERVE_TLS="true").returncode != 0:
            assert api.poll() is None, api.communicate()[0]
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        # The same port refuses plain HTTP, and the certificate is the task's own, P-256.
        assert healthcheck(port).returncode == 1
        pem = ssl.get_server_certificate(("127.0.0.1", port))
        certificate = x509.load_pem_x509_certificate(pem.encode())
        assert certificate.public_key().curve.name == "secp256r1"
        assert certificate.issuer == certificate.subject
    finally:
        api.send_signal(signal.SIGTERM)
        api.communicate(timeout=40)
    assert api.returncode == 0


def test_the_health_check_fails_when_nothing_answers() -> None:
    result = healthcheck(free_port(), SERVE_TLS="true")
    assert result.returncode == 1
    assert result.stderr.startswith("health check https://127.0.0.1:")


def test_gunicorn_config_is_valid() -> None:
    result = subprocess.run(
        [REPO / ".venv" / "bin" / "gunicorn", "--check-config", "--config",
         "python:pcs.gunicorn_conf", "pcs.wsgi:application"],
        cwd=REPO / "service",
        env=script_env(DJANGO_SETTINGS_MODULE="pcs.settings.test"),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("variables", "hint"),
    [
        ({"PCS_DB_PORT": "1"}, "PostgreSQL is not running on 127.0.0.1:1"),
        (
            {"PCS_REDIS_URL": "redis://127.0.0.1:1/0"},
            "Redis is not running at redis://127.0.0.1:1/0",
        ),
    ],
)
def test_local_run_names_the_service_that_is_not_running(variables, hint) -> None:
    result = subprocess.run(
        [BIN / "run-local"], env=script_env(**variables), capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{hint}: start it with scripts/ensure-services.sh"]
