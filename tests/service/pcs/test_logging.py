"""Logs are one JSON object per line, carry the request id, and never contain a secret."""

from __future__ import annotations

import io
import json
import logging
import logging.config

import pytest
from django.conf import settings
from django.test import Client

from pcs.env import SECRET_VARIABLES, secret_variable_names
from pcs.logging import redact


@pytest.fixture
def log_output(monkeypatch) -> io.StringIO:
    """The service's logging configuration, writing to a buffer."""
    buffer = io.StringIO()
    logging.config.dictConfig(settings.LOGGING)
    handler = logging.getLogger().handlers[0]
    monkeypatch.setattr(handler, "stream", buffer)
    return buffer


def test_a_secret_from_the_environment_is_redacted(monkeypatch, log_output) -> None:
    monkeypatch.setenv("DB_PASSWORD", "hunter2-prod-password")
    try:
        raise ConnectionError("auth failed for hunter2-prod-password")
    except ConnectionError:
        logging.getLogger("pcs.test").exception("db login with %s", "hunter2-prod-password")
    output = log_output.getvalue()
    assert "hunter2" not in output
    entry = json.loads(output)
    assert entry["message"] == "db login with [REDACTED]"
    assert "[REDACTED]" in entry["exception"]


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("broker rediss://:Zx9-tok3n@cache.internal:6379/0", "Zx9-tok3n"),
        ("db postgres://pcs_app:pa55w0rd@writer:5432/pcs", "pa55w0rd"),
        ("Authorization: Bearer pcs_abcDEF123-_", "pcs_abcDEF123"),
        ("connect password=topsecret host=db", "topsecret"),
        # any case, including what re.IGNORECASE equates (U+017F LATIN SMALL LETTER LONG S)
        ("connect PASSWORD=topsecret host=db", "topsecret"),
        ("AUTHORIZATION: BEARER pcs_abcDEF123-_", "pcs_abcDEF123"),
        ("connect \u017fecret=topsecret host=db", "topsecret"),
    ],
)
def test_credential_shaped_values_are_redacted(line: str, secret: str) -> None:
    redacted = redact(line)
    assert secret not in redacted
    assert "[REDACTED]" in redacted


@pytest.mark.parametrize(
    "variable",
    ["DB_APP_PASSWORD", "DB_PASSWORD", "REDIS_AUTH_TOKEN", "SECRET_KEY", "NEW_THING_TOKEN"],
)
def test_every_secret_variable_is_redacted_including_ones_named_like_a_credential(
    monkeypatch, variable
) -> None:
    monkeypatch.setenv(variable, "app-role-secret-value")
    assert redact("rotation failed for app-role-secret-value") == "rotation failed for [REDACTED]"


def test_the_redacted_variables_are_the_contracts_secrets() -> None:
    assert {"SECRET_KEY", "DB_PASSWORD", "DB_APP_PASSWORD", "REDIS_AUTH_TOKEN"} <= SECRET_VARIABLES
    assert "DOCUMENTS_BUCKET" not in SECRET_VARIABLES
    assert secret_variable_names({"DB_APP_PASSWORD": "x", "DOCUMENTS_BUCKET": "y"}) == [
        "DB_APP_PASSWORD"
    ]


@pytest.mark.parametrize(
    "line",
    [
        "token pcs_" + "A1b2-C3d4_" * 4 + " in a message",
        "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXBhcnQ",
    ],
    ids=["bare-api-token", "bare-jwt"],
)
def test_bare_tokens_are_redacted(line: str) -> None:
    redacted = redact(line)
    assert "A1b2" not in redacted and "eyJzdWIi" not in redacted
    assert "[REDACTED]" in redacted


def test_each_line_is_json_with_the_request_id(log_output) -> None:
    Client().get("/api/v1/nowhere/", HTTP_X_REQUEST_ID="req-123")
    entries = [json.loads(line) for line in log_output.getvalue().splitlines()]
    assert entries, "a 404 is logged by django.request"
    assert {entry["request_id"] for entry in entries} == {"req-123"}
    assert {"time", "level", "logger", "message"} <= set(entries[0])


def test_an_unsafe_request_id_is_replaced_with_a_fresh_one() -> None:
    response = Client().get("/api/v1/nowhere/", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert response["X-Request-ID"] != "bad id\nwith newline"
    assert len(response["X-Request-ID"]) == 32
