"""The tokens and members APIs (thin views: services write and audit, selectors read)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import Outcome
from audit.services import Actor, audit_member_action
from pcs.api_schema import BODY_ERRORS, COMMON_ERRORS, ErrorOutput
from pcs.health import unavailable
from tenancy import selectors, services
from tenancy.credentials import ACCESS_TOKEN
from tenancy.identity_pool import IdentityPoolUnavailable
from tenancy.models import Role
from tenancy.permissions import ADMINS, EVERY_ROLE
from tenancy.serializers import (
    MemberCreateInput,
    MemberInvitedOutput,
    MemberOutput,
    MemberUpdateInput,
    TokenIssuedOutput,
    TokenIssueInput,
    TokenOutput,
)


def _refused(error: services.TenancyError) -> ValidationError:
    return ValidationError({error.field: [str(error)]})


def _pool_unavailable(error: IdentityPoolUnavailable) -> Response:
    """503: the user pool failed the change, which therefore rolled back (the service's
    transaction is a savepoint of the request's)."""
    detail = (
        f"The user pool is unavailable ({error.operation}): nothing was changed; retry shortly."
    )
    return unavailable(Response({"detail": detail}, status=status.HTTP_503_SERVICE_UNAVAILABLE))


class TokenListIssueApi(APIView):
    """A member's API tokens (an admin: the organization's); issue one to yourself."""

    roles = {"GET": EVERY_ROLE, "POST": EVERY_ROLE}

    @extend_schema(
        responses={200: TokenOutput(many=True), **COMMON_ERRORS}, operation_id="tokens_list"
    )
    def get(self, request: Request) -> Response:
        """Tokens, newest first (never their values)."""
        tokens = list(selectors.api_token_list(membership=request.auth))
        audit_member_action(
            membership=request.auth,
            action="token.listed",
            object_type="api_token",
            details={"count": len(tokens)},
        )
        return Response(TokenOutput(tokens, many=True).data)

    @extend_schema(
        request=TokenIssueInput,
        responses={201: TokenIssuedOutput, **BODY_ERRORS, **COMMON_ERRORS},
        operation_id="tokens_issue",
    )
    def post(self, request: Request) -> Response:
        """Issue a token to the signed-in person; its value is in this response only.

        Only a sign-in (an access token, behind MFA) may issue one: a token cannot beget tokens.
        """
        if request._request.authentication.method != ACCESS_TOKEN:
            audit_member_action(
                membership=request.auth,
                action="token.issued",
                object_type="api_token",
                outcome=Outcome.DENIED,
                reason="API tokens are issued only to a signed-in person",
            )
            raise PermissionDenied("API tokens are issued only to a signed-in person.")
        data = TokenIssueInput(data=request.data)
        data.is_valid(raise_exception=True)
        issued = services.api_token_issue(membership=request.auth, **data.validated_data)
        body = TokenOutput(issued.token).data | {"token": issued.raw}
        return Response(body, status=status.HTTP_201_CREATED)


class TokenRevokeApi(APIView):
    """Revoke a token: your own, or (an admin) any of the organization's."""

    roles = {"POST": EVERY_ROLE}

    @extend_schema(
        request=None,
        responses={200: TokenOutput, 404: ErrorOutput, **COMMON_ERRORS},
        operation_id="tokens_revoke",
    )
    def post(self, request: Request, token_id: int) -> Response:
        """Revoked from now on (revoking again changes nothing)."""
        token = selectors.api_token_list(membership=request.auth).filter(pk=token_id).first()
        if token is None:
            raise NotFound("No such token.")
        services.api_token_revoke(token=token, actor=Actor.of(request.auth))
        return Response(TokenOutput(token).data)


class MemberListCreateApi(APIView):
    """The organization's members; add one with a role (admins)."""

    roles = {"GET": ADMINS, "POST": ADMINS}

    @extend_schema(
        responses={200: MemberOutput(many=True), **COMMON_ERRORS}, operation_id="members_list"
    )
    def get(self, request: Request) -> Response:
        """Members by username."""
        members = selectors.member_list(organization_id=request.auth.organization_id)
        audit_member_action(membership=request.auth, action="member.listed", object_type="member")
        return Response(MemberOutput(members, many=True).data)

    @extend_schema(
        request=MemberCreateInput,
        responses={201: MemberInvitedOutput, **BODY_ERRORS, **COMMON_ERRORS},
        operation_id="members_create",
    )
    def post(self, request: Request) -> Response:
        """Add a member; the answer says how they were told (`invitation`)."""
        data = MemberCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            membership = services.member_create(
                organization=request.auth.organization,
                actor=Actor.of(request.auth),
                **data.validated_data,
            )
        except services.TenancyError as error:
            raise _refused(error) from error
        except IdentityPoolUnavailable as error:
            return _pool_unavailable(error)
        return Response(MemberInvitedOutput(membership).data, status=status.HTTP_201_CREATED)


class MemberUpdateApi(APIView):
    """Change a member's role or active state (admins; not their own)."""

    roles = {"PATCH": ADMINS}

    @extend_schema(
        request=MemberUpdateInput,
        responses={200: MemberOutput, 404: ErrorOutput, **BODY_ERRORS, **COMMON_ERRORS},
        operation_id="members_update",
    )
    def patch(self, request: Request, member_id: int) -> Response:
        """Apply the given fields; each change is audited."""
        membership = (
            selectors.member_list(organization_id=request.auth.organization_id)
            .filter(pk=member_id)
            .first()
        )
        if membership is None:
            raise NotFound("No such member.")
        data = MemberUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            membership = services.member_update(
                membership=membership,
                actor=request.auth,
                role=Role(data.validated_data["role"]) if "role" in data.validated_data else None,
                is_active=data.validated_data.get("is_active"),
            )
        except services.TenancyError as error:
            raise _refused(error) from error
        except IdentityPoolUnavailable as error:
            return _pool_unavailable(error)
        return Response(MemberOutput(membership).data)
