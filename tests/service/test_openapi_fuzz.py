"""Property-based run of every API operation from its OpenAPI schema.

Every schemathesis check runs (the default: all of them): no 5xx, every status code and body
documented and conforming, schema-violating input rejected with a 4xx, valid input accepted,
auth not ignored, unsupported methods answered 405.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings

from pcs.wsgi import application

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "reader"])


# Generating the schema needs no database: only the URL conf and serializers. (The served
# schema requires a signed-in member, and no member exists before the database.)
schema = schemathesis.openapi.from_dict(
    json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(public=True)))
)
schema.app = application


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_schemathesis_check_passes_for_every_operation(case, tenant_a, s3) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {tenant_a.token}"})
