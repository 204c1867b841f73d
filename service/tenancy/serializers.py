"""Input and output shapes of the tokens and members APIs."""

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tenancy.identity_pool import INVITATIONS, invitation_kind
from tenancy.models import ApiToken, Membership, Role

ROLE_CHOICE_ERROR = '"{input}" is not a role; allowed: ' + ", ".join(Role.values)


class TokenIssueInput(serializers.Serializer):
    """A name for the token and its lifetime in days (at most API_TOKEN_MAX_DAYS)."""

    name = serializers.CharField(max_length=100, required=False, default="")
    days = serializers.IntegerField(min_value=1, required=False)

    def validate_days(self, value: int) -> int:
        """Capped by configuration (90 at most)."""
        if value > settings.API_TOKEN_MAX_DAYS:
            raise serializers.ValidationError(
                f"days must be from 1 to {settings.API_TOKEN_MAX_DAYS}"
            )
        return value


class TokenOutput(serializers.ModelSerializer):
    """A token's record (never its value)."""

    member = serializers.CharField(source="membership.username")

    class Meta:
        model = ApiToken
        fields = ["id", "name", "member", "created_at", "expires_at", "last_used_at", "revoked_at"]
        read_only_fields = fields


class TokenIssuedOutput(TokenOutput):
    """A new token: its record and its value, shown this once (the schema of that response)."""

    token = serializers.CharField()

    class Meta(TokenOutput.Meta):
        fields = [*TokenOutput.Meta.fields, "token"]
        read_only_fields = fields


class MemberCreateInput(serializers.Serializer):
    """A new member: their name in the organization (the e-mail address the user pool's
    invitation goes to), and a role."""

    username = serializers.RegexField(
        r"^[\w.@+-]{1,150}$",
        max_length=150,
        error_messages={"invalid": "use letters, digits and . @ + - _ only (no spaces)"},
    )
    role = serializers.ChoiceField(
        choices=Role.choices, error_messages={"invalid_choice": ROLE_CHOICE_ERROR}
    )


class MemberUpdateInput(serializers.Serializer):
    """A role change, or (de)activation."""

    role = serializers.ChoiceField(
        choices=Role.choices, required=False, error_messages={"invalid_choice": ROLE_CHOICE_ERROR}
    )
    is_active = serializers.BooleanField(required=False)


class MemberOutput(serializers.ModelSerializer):
    """A member."""

    is_active = serializers.BooleanField(source="user.is_active")
    signed_in = serializers.SerializerMethodField()
    # The user pool's name for them (generated, unique across the platform): what they sign in
    # with until their e-mail address is verified, and what an operator creates where the
    # service cannot reach the pool (manage.py member_bind).
    sign_in_username = serializers.CharField(source="user.username")

    class Meta:
        model = Membership
        fields = ["id", "username", "role", "is_active", "signed_in", "sign_in_username"]
        read_only_fields = fields

    def get_signed_in(self, membership: Membership) -> bool:
        """Whether the member has signed in through the identity provider yet."""
        return bool(membership.last_token_id)


class MemberInvitedOutput(MemberOutput):
    """A member just added, and how they were told: the pool's invitation e-mail, nothing sent
    because they sign in through the organization's `identity_provider`, or nothing sent because
    no user pool is reached from this deployment (`none`)."""

    invitation = serializers.SerializerMethodField()
    identity_provider = serializers.CharField(
        source="organization.identity_provider", allow_null=True
    )

    class Meta(MemberOutput.Meta):
        fields = [*MemberOutput.Meta.fields, "invitation", "identity_provider"]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=INVITATIONS))
    def get_invitation(self, membership: Membership) -> str:
        """What `member_create` did, decided by the same rule (tenancy.identity_pool)."""
        return invitation_kind(membership.organization.identity_provider)
