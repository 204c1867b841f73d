"""Fixtures of the fault tests: a private, migrated PostgreSQL with one tenant (once per session).

These tests need no pytest-django database: the services under test run as subprocesses
against the private instance.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.service.faults.servers import PrivatePostgres, manage, service_env


@pytest.fixture(scope="session")
def private_postgres() -> Iterator[PrivatePostgres]:
    """A migrated private cluster; each test leaves it running and thawed."""
    # Not under pytest's temporary directory: that is private to root, and the cluster's owner
    # (postgres, when the tests run as root) must reach it.
    directory = Path(tempfile.mkdtemp(prefix="pcs-faults-postgres-"))
    try:
        postgres = PrivatePostgres(directory)
        manage(service_env(postgres), "migrate", "--noinput")
        yield postgres
        postgres.thaw()
        postgres.stop(mode="immediate")
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def private_token(private_postgres: PrivatePostgres) -> str:
    """A bearer token of a tenant in the private database."""
    env = service_env(private_postgres)
    return manage(env, "tenant_create", "--organization", "faults", "--username", "f").strip()
