"""`manage.py token_revoke`: revoke one API token, or every live token of a member (audited)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.services import OPERATOR
from tenancy.models import ApiToken
from tenancy.services import api_token_revoke


class Command(BaseCommand):
    """Revoke by token id or by username; print how many tokens were revoked."""

    help = "Revoke an API token (--id) or every live token of a member (--username)."

    def add_arguments(self, parser: CommandParser) -> None:
        """Exactly one of --id and --username."""
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--id", type=int, help="the token's id (as the tokens API lists it)")
        target.add_argument("--username", help="revoke every live token of this member")
        parser.add_argument(
            "--organization", help="the member's organization (names are unique only in one)"
        )

    def handle(
        self,
        *args: object,
        id: int | None,
        username: str | None,
        organization: str | None = None,
        **options: object,
    ) -> None:
        """Revoke; exit 2 (error on stderr) when nothing matches."""
        tokens = ApiToken.objects.select_related("membership__user")
        if id is not None:
            tokens = tokens.filter(pk=id)
        else:
            tokens = tokens.filter(membership__username=username, revoked_at__isnull=True)
            if organization is not None:
                tokens = tokens.filter(membership__organization__name=organization)
        matched = list(tokens)
        if len({token.membership.organization_id for token in matched}) > 1:
            raise CommandError(f"--username {username} names members of several organizations:"
                               " give --organization")  # fmt: skip
        if not matched:
            raise CommandError(
                f"no such token: {'--id ' + str(id) if id else '--username ' + str(username)}"
            )
        revoked = sum(api_token_revoke(token=token, actor=OPERATOR) for token in matched)
        self.stdout.write(f"revoked {revoked} token(s)")
