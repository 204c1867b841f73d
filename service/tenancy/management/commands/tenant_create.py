"""`manage.py tenant_create`: an organization, a member and a fresh API token (printed)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from tenancy.models import Membership, Organization
from tenancy.services import api_token_issue, member_create, organization_create


class Command(BaseCommand):
    """Create (or reuse) a tenant and member; print a new bearer token on stdout."""

    help = "Create or reuse an organization and member, and print a new API token."

    def add_arguments(self, parser: CommandParser) -> None:
        """--organization and --username."""
        parser.add_argument("--organization", required=True, help="organization name")
        parser.add_argument("--username", required=True, help="member's username")

    def handle(self, *args: object, organization: str, username: str, **options: object) -> None:
        """Print the token only, so scripts can capture it."""
        org = Organization.objects.filter(name=organization).first() or organization_create(
            name=organization
        )
        membership = Membership.objects.filter(user__username=username).first()
        if membership is None:
            membership = member_create(organization=org, username=username)
        elif membership.organization_id != org.pk:
            self.stderr.write(f"error: user {username!r} belongs to another organization")
            raise SystemExit(2)
        self.stdout.write(api_token_issue(membership=membership))
