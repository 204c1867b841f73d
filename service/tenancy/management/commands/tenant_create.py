"""`manage.py tenant_create`: an organization, a member with a role and a fresh API token.

A new member is invited to the user pool like one an admin adds (tenancy.identity_pool): the
way an organization's first admin gets their sign-in. With --identity-provider the organization
is given its own IdP first (as `organization_idp` does), so that admin is linked to it too."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.services import OPERATOR
from tenancy.identity_pool import IdentityPoolUnavailable
from tenancy.models import Membership, Organization, Role
from tenancy.services import (
    TenancyError,
    api_token_issue,
    member_create,
    organization_create,
    organization_identity_provider_set,
)


class Command(BaseCommand):
    """Create (or reuse) a tenant and member; print a new bearer token on stdout."""

    help = "Create or reuse an organization and member, and print a new API token."

    def add_arguments(self, parser: CommandParser) -> None:
        """--organization, --username, --role and --days."""
        parser.add_argument("--organization", required=True, help="organization name")
        parser.add_argument("--username", required=True, help="member's username")
        parser.add_argument(
            "--role",
            choices=Role.values,
            default=Role.MEMBER,
            help="the member's role when created (default member)",
        )
        parser.add_argument(
            "--days", type=int, default=None, help="token lifetime (default and maximum: 90)"
        )
        parser.add_argument(
            "--identity-provider",
            default=None,
            help="the organization's own IdP (its name in the user pools), set before the member",
        )

    def handle(
        self,
        *args: object,
        organization: str,
        username: str,
        role: str,
        days: int | None,
        identity_provider: str | None,
        **options: object,
    ) -> None:
        """Print the token only, so scripts can capture it. Every write is audited."""
        org = Organization.objects.filter(name=organization).first() or organization_create(
            name=organization
        )
        membership = Membership.objects.filter(organization=org, username=username).first()
        try:
            if identity_provider and org.identity_provider != identity_provider:
                organization_identity_provider_set(
                    organization=org, identity_provider=identity_provider, actor=OPERATOR
                )
            if membership is None:
                membership = member_create(
                    organization=org, username=username, role=Role(role), actor=OPERATOR
                )
            issued = api_token_issue(membership=membership, actor=OPERATOR, days=days)
        except TenancyError as error:
            raise CommandError(f"--{error.field}: {error}") from error
        except IdentityPoolUnavailable as error:
            raise CommandError(f"{error}: nothing was changed; retry shortly") from error
        self.stdout.write(issued.raw)
