"""Property-based run of every API operation from its OpenAPI schema.

No generated input yields a 5xx, and every documented response matches its schema.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from pcs.wsgi import application

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "reader"])


# Generating the schema needs no database: only the URL conf and serializers.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_request_gets_a_server_error_or_an_off_schema_response(case, tenant_a, s3) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {tenant_a.token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
