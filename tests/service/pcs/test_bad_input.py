"""Bad input gets a 4xx in JSON, logged once at WARNING: never a 500 or a traceback."""

from __future__ import annotations

import logging
import uuid

import pytest
from django.conf import settings

from pcs.db.router import READER, WRITER
from tenancy.models import ApiToken, Membership, Role
from tests.service.conftest import tenant_make

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


def _api_routes() -> list[tuple[str, str]]:
    """(method, path) of every API method a role may call, with made-up ids in the path."""
    from django.urls import URLResolver, get_resolver, reverse

    samples = {"IntConverter": "7", "UUIDConverter": str(uuid.uuid4())}
    routes = []
    pending = list(get_resolver().url_patterns)
    while pending:
        pattern = pending.pop()
        if isinstance(pattern, URLResolver):
            pending.extend(pattern.url_patterns)
            continue
        roles = getattr(getattr(pattern.callback, "view_class", None), "roles", None)
        if not roles:
            continue  # not a tenant API (health, the schema)
        converters = pattern.pattern.converters.items()
        kwargs = {name: samples[type(converter).__name__] for name, converter in converters}
        routes += [(method, reverse(pattern.name, kwargs=kwargs)) for method in roles]
    return sorted(routes)


def test_every_api_method_refuses_a_parameter_it_does_not_take_naming_it() -> None:
    admin = tenant_make("acme", role=Role.ADMIN)  # admins may call every method
    routes = _api_routes()
    assert len(routes) == 12
    answers = {
        (method, path): admin.client().generic(
            method, f"{path}?zz=%00", b"{}", content_type="application/json"
        )
        for method, path in routes
    }
    refused = {route: (answer.status_code, answer.json()) for route, answer in answers.items()}
    unknown = {"errors": {"zz": ["unknown parameter; this endpoint takes none"]}}
    expected = {route: (400, unknown) for route in routes}
    # The two listing endpoints with filters name theirs.
    expected[("GET", "/api/v1/documents/")] = (
        400,
        {"errors": {"zz": ["unknown parameter; allowed: limit, offset"]}},
    )
    expected[("GET", "/api/v1/audit-events/")] = (
        400,
        {
            "errors": {
                "zz": [
                    "unknown parameter; allowed: action, actor, outcome, object_type, object_id,"
                    " since, until, limit, offset"
                ]
            }
        },
    )
    assert refused == expected
    # Refused before the view ran: nobody was added, no token issued.
    assert Membership.objects.filter(organization=admin.organization).count() == 1
    assert ApiToken.objects.filter(membership=admin.membership).count() == 1
