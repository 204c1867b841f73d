"""`manage.py member_bind`: bind a member to their user-pool identity (its immutable `sub`).

For where the service cannot reach the user pool (docs/decisions/identity-member-invitations.md):
an operator creates the pool user the member's record names (`sign_in_username`), reads the
`sub` the pool gave it, and binds it here. Audited as `member.identity_bound`.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.services import OPERATOR
from tenancy.models import Membership
from tenancy.services import TenancyError, member_subject_bind


class Command(BaseCommand):
    """Bind --subject to the member --id."""

    help = "Bind a member (--id, as the members API lists it) to the pool's sub (--subject)."

    def add_arguments(self, parser: CommandParser) -> None:
        """--id and --subject."""
        parser.add_argument("--id", type=int, required=True, help="the member's id")
        parser.add_argument("--subject", required=True, help="the pool user's `sub`")

    def handle(self, *args: object, id: int, subject: str, **options: object) -> None:
        """Bind; CommandError naming the option when refused."""
        membership = Membership.objects.filter(pk=id).first()
        if membership is None:
            raise CommandError(f"--id: no member {id}")
        try:
            member_subject_bind(membership=membership, subject=subject, actor=OPERATOR)
        except TenancyError as error:
            raise CommandError(f"--{error.field}: {error}") from error
        self.stdout.write(f"bound member {id}")
