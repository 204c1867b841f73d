"""`manage.py organization_idp`: name an organization's own identity provider (or remove it).

The provider is configured in both user pools by the deployment (`identity.federation`); this
says which organization it belongs to, so that the members that organization invites are linked
to it and sign in through it (tenancy.identity_pool; docs/decisions/identity-federated-link.md).
One organization per provider. Audited as `organization.identity_provider_set`.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.services import OPERATOR
from tenancy.models import Organization
from tenancy.services import TenancyError, organization_identity_provider_set


class Command(BaseCommand):
    """Set --provider (or --none) on --organization."""

    help = "Name the identity provider (its name in the user pools) an organization signs in with."

    def add_arguments(self, parser: CommandParser) -> None:
        """--organization and --provider or --none."""
        parser.add_argument("--organization", required=True, help="organization name")
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--provider", help="the provider's name in the user pools")
        which.add_argument("--none", action="store_true", help="the organization has none")

    def handle(
        self, *args: object, organization: str, provider: str | None, none: bool, **options: object
    ) -> None:
        """Set it; CommandError naming the option when refused."""
        org = Organization.objects.filter(name=organization).first()
        if org is None:
            raise CommandError(f"--organization: no organization {organization!r}")
        try:
            organization_identity_provider_set(
                organization=org, identity_provider=None if none else provider, actor=OPERATOR
            )
        except TenancyError as error:
            raise CommandError(f"--{error.field}: {error}") from error
        self.stdout.write(f"{organization}: {'no identity provider' if none else provider}")
