"""The container environment of docs/service.md: variables plain, credentials from secrets."""

from __future__ import annotations

import pytest

from tests.infra.compute.helpers import container

REQUIRED_PLAIN = {
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOWED_HOSTS",
    "DB_WRITER_HOST",
    "DB_READER_HOST",
    "DB_PORT",
    "DB_NAME",
    "REDIS_URL",
    "DOCUMENTS_BUCKET",
    "DOCUMENTS_KMS_KEY_ID",
    "AWS_REGION",
}
REQUIRED_SECRETS = {"SECRET_KEY", "DB_USER", "DB_PASSWORD", "REDIS_AUTH_TOKEN"}


def _environment(result, name: str) -> dict:
    return {e["Name"]: e["Value"] for e in container(result, name)["Environment"]}


def _secrets(result, name: str) -> dict:
    return {s["Name"]: s["ValueFrom"] for s in container(result, name)["Secrets"]}


@pytest.mark.parametrize("name", ["api", "beat"])
def test_every_required_plain_variable_is_set(prod, name):
    assert set(_environment(prod, name)) == REQUIRED_PLAIN


def test_the_worker_also_gets_the_queue_metrics_namespace_and_service(prod):
    environment = _environment(prod, "worker")
    metrics_variables = {"CELERY_METRICS_NAMESPACE", "CELERY_METRICS_SERVICE"}
    assert set(environment) == REQUIRED_PLAIN | metrics_variables
    namespace = environment["CELERY_METRICS_NAMESPACE"]
    assert namespace == "PCS/Celery" == prod.config.monitoring.celery_metrics_namespace
    assert environment["CELERY_METRICS_SERVICE"] == "pcs-prod-worker"


@pytest.mark.parametrize("name", ["api", "worker", "beat"])
def test_database_redis_and_django_secrets_are_injected_from_secrets_manager(prod, name):
    assert set(_secrets(prod, name)) >= REQUIRED_SECRETS


def _secret_export(value_from) -> str:
    """The data stack export a ValueFrom's secret ARN comes from."""
    (reference,) = [p for p in value_from["Fn::Join"][1] if isinstance(p, dict)]
    return reference["Fn::ImportValue"]


@pytest.mark.parametrize("name", ["api", "worker", "beat"])
def test_services_connect_with_the_app_role_secret(prod, name):
    secrets = _secrets(prod, name)
    user, password = secrets["DB_USER"], secrets["DB_PASSWORD"]
    assert str(user["Fn::Join"][1][-1]).endswith(":username::")
    assert str(password["Fn::Join"][1][-1]).endswith(":password::")
    assert "AuroraAppSecretAttachment" in _secret_export(user)
    assert "AuroraAppSecretAttachment" in _secret_export(password)


@pytest.mark.parametrize("name", ["api", "worker", "beat"])
def test_services_never_reference_the_master_secret(prod, name):
    secrets = _secrets(prod, name)
    assert not any("AuroraClusterSecret" in str(value) for value in secrets.values())
    assert not {"DB_APP_USER", "DB_APP_PASSWORD"} & set(secrets)
    assert "DB_ROLE" not in _environment(prod, name)


def test_only_the_migration_connects_with_the_master_secret(prod):
    secrets = _secrets(prod, "migrate")
    assert "AuroraClusterSecretAttachment" in _secret_export(secrets["DB_USER"])
    assert "AuroraClusterSecretAttachment" in _secret_export(secrets["DB_PASSWORD"])
    assert "AuroraAppSecretAttachment" in _secret_export(secrets["DB_APP_USER"])
    assert "AuroraAppSecretAttachment" in _secret_export(secrets["DB_APP_PASSWORD"])
    assert _environment(prod, "migrate")["DB_ROLE"] == "owner"


def test_redis_url_uses_tls(prod):
    url = _environment(prod, "api")["REDIS_URL"]
    assert url["Fn::Join"][1][0] == "rediss://"


def test_no_credential_is_a_plain_variable(prod):
    plain = set(_environment(prod, "api"))
    assert not plain & {"SECRET_KEY", "DB_PASSWORD", "REDIS_AUTH_TOKEN", "DATABASE_URL"}


def test_allowed_hosts_name_the_site_and_the_origin(prod):
    edge = prod.config.edge
    assert _environment(prod, "api")["DJANGO_ALLOWED_HOSTS"] == (
        f"{edge.domain_name},{edge.origin_subdomain}.{edge.domain_name}"
    )
