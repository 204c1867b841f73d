"""Production settings: everything from the environment, TLS everywhere, fail fast."""

from __future__ import annotations

import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

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
}

# The migrate task only: it connects as the owner and provisions the app role.
OWNER_ENV = {"DB_ROLE": "owner", "DB_APP_USER": "pcs_app", "DB_APP_PASSWORD": "app/p@ss"}


def load(monkeypatch, env: dict[str, str]) -> dict:
    """Execute pcs.settings.production against exactly `env`."""
    for name in (*PRODUCTION_ENV, "KAFKA_BOOTSTRAP_SERVERS", *OWNER_ENV):
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
        cwd=Path(__file__).resolve().parents[3] / "service",
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


def test_every_required_variable_is_in_the_documented_table(monkeypatch):
    required = load(monkeypatch, PRODUCTION_ENV)["REQUIRED_ENV"]
    doc = (Path(__file__).resolve().parents[3] / "docs" / "service.md").read_text()
    assert set(required) == set(PRODUCTION_ENV)
    for name in required:
        assert f"| `{name}` | yes |" in doc, name


def test_services_connect_as_the_app_role_and_refuse_one_that_bypasses_rls(monkeypatch):
    settings = load(monkeypatch, PRODUCTION_ENV)
    assert settings["TENANCY_REQUIRE_RLS_ROLE"] is True
    assert settings["DATABASE_APP_ROLE"] is None


def test_the_owner_process_provisions_the_app_role_from_its_secret(monkeypatch):
    settings = load(monkeypatch, {**PRODUCTION_ENV, **OWNER_ENV})
    assert settings["TENANCY_REQUIRE_RLS_ROLE"] is False
    assert settings["DATABASE_APP_ROLE"] == {"USER": "pcs_app", "PASSWORD": "app/p@ss"}


def test_the_owner_process_without_the_app_secret_names_what_is_missing(monkeypatch):
    with pytest.raises(ImproperlyConfigured) as error:
        load(monkeypatch, {**PRODUCTION_ENV, "DB_ROLE": "owner"})
    assert str(error.value) == (
        "Missing required environment variables: DB_APP_USER, DB_APP_PASSWORD"
    )


def test_an_unknown_db_role_is_refused_naming_the_allowed_values(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="DB_ROLE must be app or owner, not 'admin'"):
        load(monkeypatch, {**PRODUCTION_ENV, "DB_ROLE": "admin"})
