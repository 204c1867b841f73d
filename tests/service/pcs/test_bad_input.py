"""Bad input gets a 4xx in JSON, logged once at WARNING: never a 500 or a traceback."""

from __future__ import annotations

import logging

import pytest
from django.conf import settings

from pcs.db.router import READER, WRITER

pytestmark = pytest.mark.django_db(transaction=True, databases=[WRITER, READER])

REGISTER = "/api/v1/documents/"


def post_raw(tenant, body: bytes):
    return tenant.client().generic("POST", REGISTER, body, content_type="application/json")


def errors_logged(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.levelno >= logging.ERROR]


def test_json_nested_a_thousand_deep_is_400_naming_the_limit(tenant_a, caplog) -> None:
    response = post_raw(tenant_a, b"[" * 1000 + b"]" * 1000)
    assert response.status_code == 400
    limit = settings.REQUEST_JSON_MAX_DEPTH
    assert response.json() == {"detail": f"JSON nested deeper than {limit} levels."}
    assert errors_logged(caplog) == []


def test_json_one_level_past_the_limit_is_refused_and_at_the_limit_is_parsed(tenant_a) -> None:
    limit = settings.REQUEST_JSON_MAX_DEPTH
    too_deep = post_raw(tenant_a, b'{"title": ' + b"[" * limit + b"]" * limit + b"}")
    assert too_deep.status_code == 400 and "nested deeper" in too_deep.json()["detail"]
    at_limit = post_raw(tenant_a, b'{"title": ' + b"[" * (limit - 1) + b"]" * (limit - 1) + b"}")
    assert at_limit.status_code == 400
    assert "title" in at_limit.json()["errors"]  # parsed, then refused as not a string


def test_a_body_over_the_limit_is_413_logged_once_at_warning(tenant_a, caplog) -> None:
    caplog.set_level(logging.INFO)
    response = post_raw(
        tenant_a, b'{"title": "' + b"x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE + b'"}'
    )
    assert response.status_code == 413
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert response.json() == {"detail": f"Request body larger than {limit} bytes."}
    logged = [record for record in caplog.records if record.name.startswith("django")]
    assert [(r.levelname, r.getMessage()) for r in logged] == [
        ("WARNING", f"Request Entity Too Large: {REGISTER}")
    ]
    assert all(record.exc_info is None for record in logged)


def test_a_number_where_a_string_belongs_is_refused_not_coerced(tenant_a) -> None:
    response = tenant_a.client().post(
        REGISTER, {"title": "t", "filename": 12, "content_type": "text/plain"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"errors": {"filename": ["Not a valid string."]}}
