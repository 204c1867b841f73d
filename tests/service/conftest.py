"""Fixtures for the service tests: real PostgreSQL (pytest-django's test database) and real Redis.

The tests connect as the application does in production: a role that is neither superuser nor
BYPASSRLS nor the tables' owner, so row-level security applies to every test. Migrations (and
the few tests that need it) use the superuser.

Redis isolation: db 15 and a key prefix unique to this run (pcs.settings.test exports it in
PCS_REDIS_KEY_PREFIX so subprocesses share it); only this run's keys are deleted at the end.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass

import boto3
import pytest
import redis
from django.conf import settings
from django.db import connections
from moto import mock_aws
from rest_framework.test import APIClient

from documents import storage
from outbox.models import PUBLISHER_ROLE
from pcs.db.router import PUBLISHER
from tenancy import credential_cache as credential_cache_module
from tenancy.access_tokens import _jwks_client
from tenancy.context import tenant_context
from tenancy.credential_cache import credential_cache
from tenancy.management.commands.db_app_role import PUBLISHER_PRIVILEGES, PUBLISHER_TABLE
from tenancy.models import Membership, Organization, Role
from tenancy.services import api_token_issue, member_create, organization_create
from tests.service.oidc_issuer import TestIssuer

APP_ROLE = f"pcs_app_{os.getpid()}"
PUBLISHER_LOGIN = f"pcs_publisher_{os.getpid()}"  # the outbox publisher's, as db_app_role makes it
SUPERUSER = "postgres"
ALIASES = ("default", "reader")


def connect_as(user: str) -> None:
    """Point both aliases at `user`; the next query opens a connection as that role."""
    for alias in ALIASES:
        connections[alias].close()
        connections[alias].settings_dict["USER"] = user


def statement_timeout_apply(enabled: bool) -> None:
    """Put the statement timeout into both aliases' connection options, or take it out.

    pytest-django's CREATE and DROP DATABASE wait for other sessions of the shared PostgreSQL
    (other engineers' runs create and drop theirs too) and can outlast the 5 s the service
    gives a statement: they run without it; every test's own query runs with it.
    """
    setting = f"-c statement_timeout={settings.DB_STATEMENT_TIMEOUT_SECONDS}s"
    for alias in ALIASES:
        options = connections[alias].settings_dict["OPTIONS"]
        others = options["options"].replace(setting, "").split()
        options["options"] = " ".join(([*setting.split()] if enabled else []) + others)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix) -> None:
    """The test database is created without the statement timeout (statement_timeout_apply)."""
    statement_timeout_apply(False)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker) -> Iterator[None]:
    """After pytest-django has created and migrated the database, switch to the app role."""
    statement_timeout_apply(True)
    with django_db_blocker.unblock():
        with connections["default"].cursor() as cursor:
            cursor.execute(f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS")
            # TRUNCATE: pytest-django empties the tables after transactional tests.
            cursor.execute(
                "GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public"
                f" TO {APP_ROLE}"
            )
            cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE}")
            cursor.execute(f"CREATE ROLE {PUBLISHER_LOGIN} LOGIN NOSUPERUSER NOBYPASSRLS")
            cursor.execute(f"GRANT {PUBLISHER_ROLE} TO {PUBLISHER_LOGIN}")
            cursor.execute(
                f"GRANT {PUBLISHER_PRIVILEGES} ON {PUBLISHER_TABLE} TO {PUBLISHER_LOGIN}"
            )
        connect_as(APP_ROLE)
        connections[PUBLISHER].close()
        connections[PUBLISHER].settings_dict["USER"] = PUBLISHER_LOGIN
    yield
    with django_db_blocker.unblock():
        connect_as(SUPERUSER)
        connections[PUBLISHER].close()
        with connections["default"].cursor() as cursor:
            for role in (APP_ROLE, PUBLISHER_LOGIN):
                cursor.execute(f"DROP OWNED BY {role}")
                cursor.execute(f"DROP ROLE {role}")
        connect_as(SUPERUSER)
    statement_timeout_apply(False)  # for pytest-django's DROP DATABASE next


@pytest.fixture
def as_superuser() -> Iterator[None]:
    """Run a (transactional) test's queries as the superuser instead of the app role."""
    connect_as(SUPERUSER)
    yield
    connect_as(APP_ROLE)


@pytest.fixture(autouse=True)
def _credentials_forgotten() -> None:
    """Each test starts with no remembered credential (a process's cache outlives a test's
    database rows)."""
    credential_cache.clear()


class Clock:
    """A monotonic clock a test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Let `seconds` pass."""
        self.now += seconds


@pytest.fixture
def credential_clock(monkeypatch) -> Clock:
    """The credential cache's clock, for tests that let its window pass."""
    clock = Clock()
    monkeypatch.setattr(credential_cache_module, "monotonic", clock)
    return clock


@pytest.fixture(scope="session")
def redis_client() -> Iterator[redis.Redis]:
    """A client on the test Redis database; deletes this run's keys afterwards."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.ping()
    yield client
    for key in client.scan_iter(match=f"{settings.REDIS_KEY_PREFIX}*", count=500):
        client.delete(key)


@pytest.fixture
def queue_length(redis_client: redis.Redis):
    """How many messages wait in a Celery queue (kombu's Redis list, under our prefix)."""

    def length(queue: str) -> int:
        return redis_client.llen(f"{settings.REDIS_KEY_PREFIX}{queue}")

    return length


@pytest.fixture
def empty_queues(redis_client: redis.Redis) -> None:
    """Start a test with no messages left by an earlier test of this run."""
    for key in redis_client.scan_iter(match=f"{settings.REDIS_KEY_PREFIX}*", count=500):
        redis_client.delete(key)


@dataclass
class Tenant:
    """An organization with one member and that member's bearer token."""

    organization: Organization
    membership: Membership
    token: str

    def scope(self) -> AbstractContextManager[None]:
        """This tenant's row-level-security context (for setting up and inspecting rows)."""
        return tenant_context(organization_id=self.organization.pk)

    def client(self) -> APIClient:
        """An API client authenticated as this tenant's member."""
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {self.token}")
        return client


def tenant_make(name: str, *, role: Role = Role.MEMBER) -> Tenant:
    """Create an organization, a member with `role` and a token."""
    organization = organization_create(name=name)
    membership = member_create(organization=organization, username=f"{name}-member", role=role)
    return Tenant(organization, membership, api_token_issue(membership=membership).raw)


@pytest.fixture
def tenant_a() -> Tenant:
    """Tenant "acme"."""
    return tenant_make("acme")


@pytest.fixture
def tenant_b() -> Tenant:
    """Tenant "globex"."""
    return tenant_make("globex")


@pytest.fixture
def aws_test_credentials() -> Iterator[None]:
    """Fake AWS credentials in the environment (moto's, or a stand-in endpoint's), then restored."""
    keys = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
    saved = {key: os.environ.get(key) for key in keys}
    os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
    os.environ.pop("AWS_SESSION_TOKEN", None)
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture
def s3(aws_test_credentials) -> Iterator[object]:
    """moto's S3 with the documents bucket; the service's cached client is rebuilt inside it."""
    with mock_aws():
        storage.s3_client.cache_clear()
        client = boto3.client("s3", region_name=settings.AWS_REGION)
        client.create_bucket(Bucket=settings.DOCUMENTS_BUCKET)
        yield client
    storage.s3_client.cache_clear()


@pytest.fixture
def test_db_name() -> str:
    """The database pytest-django created (subprocesses must use it)."""
    return connections["default"].settings_dict["NAME"]


@pytest.fixture
def app_db_env(test_db_name: str) -> dict[str, str]:
    """Environment for a subprocess using pcs.settings.test: the test database, the app role."""
    return {
        "PCS_DB_NAME": test_db_name,
        "PCS_DB_USER": APP_ROLE,
        "PCS_DB_PUBLISHER_USER": PUBLISHER_LOGIN,
    }


@pytest.fixture(scope="session")
def _issuer_server() -> Iterator[TestIssuer]:
    """One issuer (and its first key) per session: RSA key generation is the slow part."""
    issuer = TestIssuer(issuer=settings.OIDC_ISSUER, client_id=settings.OIDC_CLIENT_IDS[0])
    issuer.key_add("key-1")
    yield issuer
    issuer.close()


@pytest.fixture
def issuer(_issuer_server: TestIssuer, settings) -> Iterator[TestIssuer]:
    """The test issuer, configured as the API's, with a fresh key-set cache for this test."""
    _issuer_server.published[:] = ["key-1"]
    _issuer_server.fetches = 0
    settings.OIDC_JWKS_URL = _issuer_server.jwks_url
    _jwks_client.cache_clear()
    yield _issuer_server
    _jwks_client.cache_clear()


def bearer(token: str) -> APIClient:
    """An API client presenting `token`."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client
