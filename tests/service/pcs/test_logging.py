"""Logs are one JSON object per line, carry the request id, and never contain a secret."""

from __future__ import annotations

import io
import json
import logging
import logging.config

import pytest
from django.conf import settings as django_settings
from django.test import Client
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pcs.env import SECRET_VARIABLES, secret_variable_names
from pcs.logging import REDACTED, JsonFormatter, redact


@pytest.fixture
def log_output(monkeypatch) -> io.StringIO:
    """The service's logging configuration, writing to a buffer."""
    buffer = io.StringIO()
    logging.config.dictConfig(django_settings.LOGGING)
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


def _formatted(message: str, *args: object) -> dict:
    """``message % args`` through the service's formatter, parsed back from its one line."""
    record = logging.LogRecord("pcs.test", logging.INFO, __file__, 1, message, args, None)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    return json.loads(line)


def test_a_redacted_password_leaves_the_line_valid_json() -> None:
    entry = _formatted("login failed password=hunter2")
    assert entry["message"] == "login failed password=[REDACTED]"


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ('login {"token": "abc-123"} rejected', 'login {"token": "[REDACTED]"} rejected'),
        ("{'password': 'hunter2', 'user': 'x'}", "{'password': '[REDACTED]', 'user': 'x'}"),
        ("invite sent to alice.smith+pcs@example.co.uk today", "invite sent to [REDACTED] today"),
        ("applicant ssn 123-45-6789 on file", "applicant ssn [REDACTED] on file"),
    ],
    ids=["token-in-json", "password-in-python-dict", "e-mail", "ssn"],
)
def test_pii_rules_redact_the_message_before_serialization(message: str, expected: str) -> None:
    assert _formatted(message)["message"] == expected


def test_an_access_records_fields_are_redacted() -> None:
    record = logging.LogRecord(
        "gunicorn.access",
        logging.INFO,
        __file__,
        1,
        "%(h)s",
        ({"m": "GET", "U": "/api/v1/users/bob@example.com/", "s": "200", "a": "ua"},),
        None,
    )
    entry = json.loads(JsonFormatter().format(record))
    assert entry["path"] == "/api/v1/users/[REDACTED]/"


@given(
    before=st.text(),
    after=st.text(),
    secret=st.from_regex(r"[A-Za-z0-9!#$%^*()_+\[\]\\|~<>?.-]{6,24}", fullmatch=True),
    key=st.sampled_from(["password", "PASSWORD", "secret", "token", "auth_token"]),
    quote=st.sampled_from(["", '"', "'"]),
)
@settings(max_examples=300, deadline=None)
def test_every_line_is_json_and_hides_the_credential_whatever_the_message(
    before: str, after: str, secret: str, key: str, quote: str
) -> None:
    """Any text around ``key=secret`` (or ``"key": "secret"``): one valid JSON object per line,
    whose message keeps the text and loses the secret."""
    assume(secret not in before and secret not in after)
    quoted = f"{quote}{key}{quote}: {quote}{secret}{quote}"
    credential = quoted if quote else f"{key}={secret}"
    entry = _formatted("%s %s %s", before, credential, after)
    assert secret not in entry["message"]
    assert REDACTED in entry["message"]


@given(message=st.text())
@settings(max_examples=300, deadline=None)
def test_every_formatted_line_is_valid_json_whatever_the_message(message: str) -> None:
    entry = _formatted(message)
    assert set(entry) == {"time", "level", "logger", "request_id", "message"}
