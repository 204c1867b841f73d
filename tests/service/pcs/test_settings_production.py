"""Production settings: everything from the environment, TLS everywhere, fail fast."""

from __future__ import annotations

import os
import re
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

import container_contract
from container_contract import Service

REPO = Path(__file__).resolve().parents[3]
SERVICE = REPO / "service"

PRODUCTION_ENV = {
    "SECRET_KEY": "k" * 50,
    "DJANGO_ALLOWED_HOSTS": "api.pcs.example.gov, internal.example",
    "DB_WRITER_HOST": "pcs.cluster-abc.us-east-1.rds.amazonaws.com",
    "DB_READER_HOST": "pcs.cluster-ro-abc.us-east-1.rds.amazonaws.com",
    "DB_PORT": "5432",
    "DB_NAME": "pcs",
    "DB_USER": "pcs_app",
    "DB_PASSWORD": "p@ss/word",
    "REDIS_URL": "rediss://master.pcs.abc.use1.cache.amazonaws.com:6379/0",
    "REDIS_AUTH_TOKEN": "tok/en+with@chars",
    "DOCUMENTS_BUCKET": "pcs-prod-documents",
    "DOCUMENTS_KMS_KEY_ID": "arn:aws:kms:us-east-1:123456789012:key/abc",
    "AWS_REGION": "us-east-1",
    "AWS_USE_FIPS_ENDPOINT": "true",
}
SIGN_IN_ENV = {
    "OIDC_ISSUER": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example",
    "OIDC_CLIENT_ID": "web, cli",
}

# The migrate task only: it connects as the owner and provisions the app role.
OWNER_ENV = {
    "DB_ROLE": "owner",
    "DB_APP_USER": "pcs_app",
    "DB_APP_PASSWORD": "app/p@ss",
    "DB_PUBLISHER_USER": "pcs_publisher",
    "DB_PUBLISHER_PASSWORD": "pub/p@ss",
}


def load(monkeypatch, env: dict[str, str]) -> dict:
    """Execute pcs.settings.production against exactly `env`."""
    for name in container_contract.BY_NAME:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_module("pcs.settings.production")


def test_a_complete_environment_configures_writer_and_reader_with_verified_tls(monkeypatch):
    settings = load(monkeypatch, PRODUCTION_ENV)
    writer, reader = settings["DATABASES"]["default"], settings["DATABASES"]["reader"]
    assert writer["HOST"] == PRODUCTION_ENV["DB_WRITER_HOST"]
    assert reader["HOST"] == PRODUCTION_ENV["DB_READER_HOST"]
    for alias in (writer, reader):
        assert alias["OPTIONS"]["sslmode"] == "verify-full"
        assert alias["OPTIONS"]["sslrootcert"] == "/etc/ssl/certs/rds-global-bundle.pem"
        assert alias["USER"] == "pcs_app" and alias["PASSWORD"] == "p@ss/word"
    assert settings["ALLOWED_HOSTS"] == ["api.pcs.example.gov", "internal.example"]
    assert settings["DEBUG"] is False


def test_redis_uses_tls_and_the_auth_token(monkeypatch):
    settings = load(monkeypatch, PRODUCTION_ENV)
    assert settings["CELERY_BROKER_URL"] == (
        "rediss://:tok%2Fen%2Bwith%40chars@master.pcs.abc.use1.cache.amazonaws.com:6379/0"
    )
    assert settings["CELERY_BROKER_USE_SSL"]["ssl_cert_reqs"] == 2  # ssl.CERT_REQUIRED


def test_kafka_is_optional_and_uses_msk_iam_auth(monkeypatch):
    assert load(monkeypatch, PRODUCTION_ENV)["KAFKA_BOOTSTRAP_SERVERS"] == ""
    brokers = "b-1.msk.example:9098,b-2.msk.example:9098"
    settings = load(monkeypatch, {**PRODUCTION_ENV, "KAFKA_BOOTSTRAP_SERVERS": brokers})
    assert settings["KAFKA_BOOTSTRAP_SERVERS"] == brokers
    assert settings["KAFKA_IAM_AUTH"] is True


def test_plain_redis_is_refused(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL must use TLS"):
        load(monkeypatch, {**PRODUCTION_ENV, "REDIS_URL": "redis://cache:6379/0"})


def test_security_headers_hsts_and_secure_cookies(monkeypatch):
    settings = load(monkeypatch, PRODUCTION_ENV)
    assert settings["SECURE_HSTS_SECONDS"] >= 31536000
    assert settings["SECURE_SSL_REDIRECT"] and settings["SECURE_CONTENT_TYPE_NOSNIFF"]
    assert settings["SESSION_COOKIE_SECURE"] and settings["CSRF_COOKIE_SECURE"]
    assert settings["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert settings["X_FRAME_OPTIONS"] == "DENY"


def test_djangos_deployment_checks_pass(monkeypatch):
    environment = {**os.environ, **PRODUCTION_ENV, "SECRET_KEY": secrets.token_urlsafe(50)}
    environment["DJANGO_SETTINGS_MODULE"] = "pcs.settings.production"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=SERVICE,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_every_missing_variable_is_named_in_one_line(monkeypatch):
    partial = {
        k: v for k, v in PRODUCTION_ENV.items() if k not in ("DB_PASSWORD", "DOCUMENTS_BUCKET")
    }
    with pytest.raises(ImproperlyConfigured) as error:
        load(monkeypatch, {**partial, "SECRET_KEY": "  "})
    assert str(error.value) == (
        "Missing required environment variables: SECRET_KEY, DB_PASSWORD, DOCUMENTS_BUCKET"
    )


@pytest.mark.parametrize("service", list(Service), ids=lambda s: s.value)
def test_production_starts_with_exactly_the_contract_variables_of_each_task(monkeypatch, service):
    variables = {v.name: v.example for v in container_contract.for_service(service)}
    settings = load(monkeypatch, variables)
    assert settings["REQUIRED_ENV"] == container_contract.required_names()
    assert set(settings["REQUIRED_ENV"]) <= set(variables)
    assert settings["TENANCY_REQUIRE_RLS_ROLE"] is (service is not Service.MIGRATE)


def test_the_required_variables_are_the_contracts(monkeypatch):
    assert set(load(monkeypatch, PRODUCTION_ENV)["REQUIRED_ENV"]) == set(PRODUCTION_ENV)
    assert set(PRODUCTION_ENV) == set(container_contract.required_names())


# Names read through os.environ (get, setdefault, []) or env_require's literal tuples.
_ENV_READ = re.compile(r"environ(?:\.get|\.setdefault)?[\[(]\s*[\"']([A-Z][A-Z0-9_]+)[\"']")
_SHELL_READ = re.compile(r"\$\{([A-Z][A-Z0-9_]+)")
_REQUIRED_TUPLE = re.compile(r"env_require\(\s*\(([^)]*)\)")
# Developer-only settings: they read PCS_* variables no task definition sets.
_NOT_IN_THE_IMAGE_ROLES = {"local.py", "test.py"}


def test_every_variable_the_service_reads_is_in_the_contract():
    read: set[str] = set()
    for path in SERVICE.rglob("*.py"):
        if path.name in _NOT_IN_THE_IMAGE_ROLES and path.parent.name == "settings":
            continue
        text = path.read_text()
        read.update(_ENV_READ.findall(text))
        for names in _REQUIRED_TUPLE.findall(text):
            read.update(re.findall(r"\"([A-Z][A-Z0-9_]+)\"", names))
    for service in Service:
        read.update(_SHELL_READ.findall((SERVICE / "bin" / service.value).read_text()))
    assert {"PORT", "DB_ROLE", "DB_APP_USER", "CELERY_CONCURRENCY"} <= read
    assert read - set(container_contract.BY_NAME) == set()


def test_a_name_listed_twice_stops_the_contract_with_one_line(tmp_path):
    source = (SERVICE / "container_contract.py").read_text()
    twice = source.replace(
        "VARIABLES: tuple[Variable, ...] = (\n",
        'VARIABLES: tuple[Variable, ...] = (\n    V("LOG_LEVEL", PLAIN, (), "again", "INFO"),\n',
    )
    assert twice != source
    (tmp_path / "contract_twice.py").write_text(twice)
    result = subprocess.run(
        [sys.executable, "-c", "import contract_twice"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "ValueError: container contract lists twice: LOG_LEVEL"
    )


def test_the_documented_table_is_the_contract():
    document = (REPO / "docs" / "service.md").read_text()
    assert container_contract.markdown_table() in document, "stale: run make contract-table"


def test_services_connect_as_the_app_role_and_refuse_one_that_bypasses_rls(monkeypatch):
    settings = load(monkeypatch, PRODUCTION_ENV)
    assert settings["TENANCY_REQUIRE_RLS_ROLE"] is True
    assert settings["DATABASE_APP_ROLE"] is None


def test_the_owner_process_provisions_the_app_role_from_its_secret(monkeypatch):
    settings = load(monkeypatch, {**PRODUCTION_ENV, **OWNER_ENV})
    assert settings["TENANCY_REQUIRE_RLS_ROLE"] is False
    assert settings["DATABASE_APP_ROLE"] == {"USER": "pcs_app", "PASSWORD": "app/p@ss"}
    assert settings["DATABASE_PUBLISHER_ROLE"] == {"USER": "pcs_publisher", "PASSWORD": "pub/p@ss"}
    assert [*settings["DATABASES"]] == ["default", "reader"]


def test_the_owner_process_without_the_app_secret_names_what_is_missing(monkeypatch):
    with pytest.raises(ImproperlyConfigured) as error:
        load(monkeypatch, {**PRODUCTION_ENV, "DB_ROLE": "owner"})
    assert str(error.value) == (
        "Missing required environment variables: DB_APP_USER, DB_APP_PASSWORD,"
        " DB_PUBLISHER_USER, DB_PUBLISHER_PASSWORD"
    )


def test_only_the_worker_has_the_outbox_publishers_login_on_the_writer(monkeypatch):
    for service in (Service.API, Service.BEAT):
        variables = {v.name: v.example for v in container_contract.for_service(service)}
        assert [*load(monkeypatch, variables)["DATABASES"]] == ["default", "reader"]
    variables = {v.name: v.example for v in container_contract.for_service(Service.WORKER)}
    databases = load(monkeypatch, variables)["DATABASES"]
    publisher = databases["publisher"]
    assert [*databases] == ["default", "reader", "publisher"]
    assert (publisher["HOST"], publisher["USER"], publisher["PASSWORD"]) == (
        "pcs-prod.cluster-abc.us-east-1.rds.amazonaws.com",
        "pcs_publisher",
        "pub/p@ss",
    )
    assert publisher["OPTIONS"]["sslmode"] == "verify-full"
    assert databases["default"]["USER"] == "pcs_app"


def test_an_unknown_db_role_is_refused_naming_the_allowed_values(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="DB_ROLE must be app or owner, not 'admin'"):
        load(monkeypatch, {**PRODUCTION_ENV, "DB_ROLE": "admin"})


def test_sign_in_variables_configure_the_issuer_and_clients(monkeypatch):
    settings = load(monkeypatch, {**PRODUCTION_ENV, **SIGN_IN_ENV})
    assert settings["OIDC_ISSUER"] == SIGN_IN_ENV["OIDC_ISSUER"]
    assert settings["OIDC_ISSUERS"] == [SIGN_IN_ENV["OIDC_ISSUER"]]
    assert settings["OIDC_CLIENT_IDS"] == ["web", "cli"]
    assert settings["API_TOKEN_MAX_DAYS"] == 90


@pytest.mark.parametrize("days", ["91", "0", "ninety"])
def test_an_api_token_lifetime_beyond_90_days_is_refused(monkeypatch, days):
    with pytest.raises(ImproperlyConfigured) as error:
        load(monkeypatch, {**PRODUCTION_ENV, "API_TOKEN_MAX_DAYS": days})
    assert str(error.value) == f"API_TOKEN_MAX_DAYS must be an integer from 1 to 90, not {days!r}"


def test_each_contract_variable_is_listed_once():
    names = [variable.name for variable in container_contract.VARIABLES]
    assert sorted(name for name in set(names) if names.count(name) > 1) == []


def test_production_refuses_standard_aws_endpoints(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="AWS_USE_FIPS_ENDPOINT must be true"):
        load(monkeypatch, {**PRODUCTION_ENV, "AWS_USE_FIPS_ENDPOINT": "false"})


def test_the_dr_regions_api_accepts_its_own_pool_first_and_the_primarys(monkeypatch):
    own = "https://cognito-idp.us-west-2.amazonaws.com/us-west-2_Standby"
    issuers = f"{own},{SIGN_IN_ENV['OIDC_ISSUER']}"
    settings = load(monkeypatch, {**PRODUCTION_ENV, **SIGN_IN_ENV, "OIDC_ISSUER": issuers})
    assert settings["OIDC_ISSUER"] == own  # the default key-set URL's issuer
    assert settings["OIDC_ISSUERS"] == [own, SIGN_IN_ENV["OIDC_ISSUER"]]
