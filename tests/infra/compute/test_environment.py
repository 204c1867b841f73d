"""The task definitions against the container contract: exactly its variables, credentials
only from secrets, each task running its start script."""

from __future__ import annotations

from pathlib import Path

import pytest

from infra.compute.environment import ServiceInputs
from service import container_contract
from service.container_contract import Kind, Service
from tests.infra.compute.helpers import container, role_statements

ROOT = Path(__file__).resolve().parents[3]

ENVIRONMENTS = ["prod", "dev"]


def _environment(result, name: str) -> dict:
    return {e["Name"]: e["Value"] for e in container(result, name).get("Environment", [])}


def _secrets(result, name: str) -> dict:
    return {s["Name"]: s["ValueFrom"] for s in container(result, name).get("Secrets", [])}


def _contract(result, service: Service, kind: Kind) -> set[str]:
    """The contract's variables of ``kind`` for ``service`` that this tier sets."""
    conditions = {"the tier runs Kafka": result.config.kafka.enabled}
    return {
        v.name
        for v in container_contract.for_service(service)
        if v.kind is kind and (v.when is None or conditions[v.when])
    }


@pytest.mark.parametrize("env_name", ENVIRONMENTS)
@pytest.mark.parametrize("service", list(Service), ids=lambda s: s.value)
def test_each_task_definition_sets_exactly_its_contract_variables(request, env_name, service):
    result = request.getfixturevalue(env_name)
    assert set(_environment(result, service.value)) == _contract(result, service, Kind.PLAIN)
    assert set(_secrets(result, service.value)) == _contract(result, service, Kind.SECRET)


@pytest.mark.parametrize("service", list(Service), ids=lambda s: s.value)
def test_every_variable_production_settings_require_is_set_in_every_task(prod, service):
    names = set(_environment(prod, service.value)) | set(_secrets(prod, service.value))
    assert set(container_contract.required_names()) <= names


def test_the_kafka_brokers_are_set_only_where_the_tier_runs_kafka(prod, dev):
    assert prod.config.kafka.enabled and not dev.config.kafka.enabled
    assert "KAFKA_BOOTSTRAP_SERVERS" in _secrets(prod, "worker")
    assert "KAFKA_BOOTSTRAP_SERVERS" not in _secrets(dev, "worker")


@pytest.mark.parametrize("service", list(Service), ids=lambda s: s.value)
def test_each_task_runs_its_start_script(prod, service):
    (script,) = container(prod, service.value)["Command"]
    assert script == f"/app/bin/{service.value}"
    assert (ROOT / "service" / "bin" / service.value).is_file()


def test_the_worker_gets_its_concurrency_and_beat_the_queue_metrics_namespace_and_service(prod):
    environment = _environment(prod, "worker")
    assert environment["CELERY_CONCURRENCY"] == str(prod.config.compute.worker_concurrency)
    assert "CELERY_METRICS_NAMESPACE" not in environment
    # Beat publishes the worker's queue metrics (issue 25): the worker's Service dimension.
    beat = _environment(prod, "beat")
    namespace = beat["CELERY_METRICS_NAMESPACE"]
    assert namespace == "PCS/Celery" == prod.config.monitoring.celery_metrics_namespace
    assert beat["CELERY_METRICS_SERVICE"] == "pcs-prod-worker"


def test_the_api_listens_on_the_configured_application_port(prod):
    assert _environment(prod, "api")["PORT"] == str(prod.config.ports.app)
    assert container(prod, "api")["PortMappings"][0]["ContainerPort"] == prod.config.ports.app


def test_a_contract_variable_without_an_infrastructure_value_stops_the_synth(monkeypatch):
    added = container_contract.Variable(
        "NEW_SETTING", Kind.PLAIN, (Service.API,), "added to the contract only", "x"
    )
    monkeypatch.setattr(container_contract, "VARIABLES", (added,))
    monkeypatch.setattr(ServiceInputs, "_plain_values", lambda self, service: {"PORT": "1"})
    monkeypatch.setattr(ServiceInputs, "_secret_sources", lambda self, service: {})
    inputs = ServiceInputs.__new__(ServiceInputs)
    with pytest.raises(ValueError, match=r"NEW_SETTING \(plain\) for api has no value"):
        inputs.container_variables(Service.API)


@pytest.mark.parametrize("service", ["api", "worker", "beat"])
def test_database_redis_and_django_secrets_are_injected_from_secrets_manager(prod, service):
    assert {"SECRET_KEY", "DB_USER", "DB_PASSWORD", "REDIS_AUTH_TOKEN"} <= set(
        _secrets(prod, service)
    )


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
    assert ("DB_PUBLISHER_USER" in secrets) is (name == "worker")
    assert "DB_ROLE" not in _environment(prod, name)


def test_only_the_migration_connects_with_the_master_secret(prod):
    secrets = _secrets(prod, "migrate")
    assert "AuroraClusterSecretAttachment" in _secret_export(secrets["DB_USER"])
    assert "AuroraClusterSecretAttachment" in _secret_export(secrets["DB_PASSWORD"])
    assert "AuroraAppSecretAttachment" in _secret_export(secrets["DB_APP_USER"])
    assert "AuroraAppSecretAttachment" in _secret_export(secrets["DB_APP_PASSWORD"])
    assert "AuroraPublisherSecretAttachment" in _secret_export(secrets["DB_PUBLISHER_USER"])
    assert "AuroraPublisherSecretAttachment" in _secret_export(secrets["DB_PUBLISHER_PASSWORD"])
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


@pytest.mark.parametrize("name", ["api", "worker", "beat"])
def test_tokens_are_verified_against_the_user_pool_issuer_its_keys_and_web_client(prod, name):
    environment = _environment(prod, name)
    issuer = environment["OIDC_ISSUER"]["Fn::Join"][1]
    assert issuer[0] == "https://cognito-idp.us-east-1.amazonaws.com/"
    assert "pcs-prod-identity" in str(issuer[1]) and "UsersPool" in str(issuer[1])
    assert environment["OIDC_JWKS_URL"]["Fn::Join"][1][-1] == "/.well-known/jwks.json"
    assert "UsersPoolWebClient" in str(environment["OIDC_CLIENT_ID"])


def test_only_the_api_gets_the_user_pools_key_set_captured_at_deploy(prod):
    # The API verifies tokens with it: its tasks have no route to Cognito (issue 12).
    jwks = _environment(prod, "api")["COGNITO_JWKS"]
    assert "pcs-prod-identity" in str(jwks) and "UsersKeySet" in str(jwks)
    assert all("COGNITO_JWKS" not in _environment(prod, name) for name in ("worker", "beat"))


def test_only_the_worker_may_put_audit_events_on_the_archive_stream(prod):
    def puts(role_name: str) -> list[dict]:
        return [
            s
            for s in role_statements(prod, role_name)
            if "firehose:PutRecordBatch" in str(s["Action"])
        ]

    (statement,) = puts("worker-task")
    assert "ArchiveApplication" in str(statement["Resource"])
    assert "AUDIT_FIREHOSE_STREAM" in _environment(prod, "worker")
    assert puts("api-task") == puts("beat-task") == []


def test_the_worker_publishes_the_outbox_with_the_publisher_secret(prod):
    secrets = _secrets(prod, "worker")
    user, password = secrets["DB_PUBLISHER_USER"], secrets["DB_PUBLISHER_PASSWORD"]
    assert str(user["Fn::Join"][1][-1]).endswith(":username::")
    assert str(password["Fn::Join"][1][-1]).endswith(":password::")
    assert "AuroraPublisherSecretAttachment" in _secret_export(user)
    assert "AuroraPublisherSecretAttachment" in _secret_export(password)
