"""`GET /api/v1/me/`: the person a credential stands for, their organization and role.

The portal reads it after sign-in to show each role only the pages it may use (the API still
decides every request). It is not audited: it names only what the credential already proves, and
the credential's use is recorded once as `authentication.succeeded`.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pcs.api_schema import COMMON_ERRORS
from tenancy.models import Membership, Organization
from tenancy.permissions import EVERY_ROLE


class _OrganizationOutput(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name"]
        read_only_fields = fields


class MeOutput(serializers.ModelSerializer):
    """The signed-in member: their id, username, role and organization."""

    organization = _OrganizationOutput()

    class Meta:
        model = Membership
        fields = ["id", "username", "role", "organization"]
        read_only_fields = fields


class MeApi(APIView):
    """Who is calling (every role)."""

    roles = {"GET": EVERY_ROLE}

    @extend_schema(responses={200: MeOutput, **COMMON_ERRORS}, operation_id="me")
    def get(self, request: Request) -> Response:
        """The caller's membership."""
        return Response(MeOutput(request.auth).data)
