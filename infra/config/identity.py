"""The identity section: the Cognito user pool and an optional federated IdP."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from infra.config.errors import SPEC_MIN_LOG_RETENTION_DAYS, ConfigError, check_log_retention


class FederationProtocol(StrEnum):
    """How a customer's identity provider speaks to the user pool."""

    SAML = "saml"
    OIDC = "oidc"


# Cognito's identity-provider names: 1-32 characters, no spaces (and not "Cognito" itself).
_PROVIDER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]{0,31}")


@dataclass(frozen=True)
class FederationConfig:
    """A customer's SAML or OIDC identity provider, federated into the user pool.

    MFA for federated users is the customer's IdP's to enforce (Cognito delegates the whole
    sign-in to it); the agreement with the customer says so (docs/decisions/identity-cognito.md).
    """

    name: str
    protocol: FederationProtocol
    saml_metadata_url: str | None = None
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    # The IdP's client secret stays in Secrets Manager; the template holds a dynamic reference.
    oidc_client_secret_arn: str | None = None
    email_claim: str = "email"

    def __post_init__(self) -> None:
        if not _PROVIDER_NAME.fullmatch(self.name) or self.name.lower() == "cognito":
            raise ConfigError(
                "identity.federation.name", self.name, "1-32 of [A-Za-z0-9.-], not 'Cognito'"
            )
        required = {
            FederationProtocol.SAML: ("saml_metadata_url",),
            FederationProtocol.OIDC: ("oidc_issuer", "oidc_client_id", "oidc_client_secret_arn"),
        }[self.protocol]
        for name in required:
            value = getattr(self, name)
            if not value:
                raise ConfigError(
                    f"identity.federation.{name}", value, f"set for protocol {self.protocol}"
                )
        for name in ("saml_metadata_url", "oidc_issuer"):
            value = getattr(self, name)
            if value and not value.startswith("https://"):
                raise ConfigError(f"identity.federation.{name}", value, "an https:// URL")


@dataclass(frozen=True)
class IdentityConfig:
    """The Cognito user pool people sign in with (docs/decisions/identity-cognito.md)."""

    # Threat protection (adaptive authentication, compromised credentials) needs the Plus plan;
    # Essentials would leave IA-5(1)'s compromised-password screening unmet
    # (docs/decisions/identity-feature-plan.md).
    feature_plan: str = "PLUS"
    # Share of the tier's users active in a month (Cognito bills monthly active users: anyone
    # who signs in or refreshes a token in the month). No measurement exists before launch: a
    # compliance portal's users sign in a few times a month, so 60%; set it per environment
    # from Cognito's MAU metric once live. The cost model prices the plan with it.
    monthly_active_user_share: float = 0.6
    # NIST SP 800-63B rev. 4: at least 15 characters for a password that may stand alone, no
    # composition rules, no expiry; breached passwords are refused by threat protection.
    password_min_length: int = 15
    temporary_password_validity_days: int = 3
    passkeys: bool = True  # WebAuthn as a first factor that is multi-factor (user verification)
    # AC-12 (docs/decisions/identity-token-lifetimes.md): 15-minute access and ID tokens, a
    # session that ends 12 hours after sign-in whatever the activity (refresh tokens rotate but
    # keep the first one's expiry), sign-in itself must finish within 3 minutes.
    access_token_minutes: int = 15
    id_token_minutes: int = 15
    refresh_token_hours: int = 12
    refresh_token_grace_seconds: int = 10  # the rotated-out token stays valid for client retries
    auth_session_minutes: int = 3
    # The web app's OAuth redirect paths on the site domain (agreed with web/ in NOTES.md).
    callback_path: str = "/auth/callback"
    sign_out_path: str = "/signed-out"
    deletion_protection: bool = True
    federation: FederationConfig | None = None
    # The deploy-time key-set capture's log (infra/identity/key_set.py), AU-11.
    log_retention_days: int = SPEC_MIN_LOG_RETENTION_DAYS

    def __post_init__(self) -> None:
        check_log_retention("identity.log_retention_days", self.log_retention_days)
        if self.feature_plan != "PLUS":
            raise ConfigError(
                "identity.feature_plan", self.feature_plan, "PLUS (threat protection needs it)"
            )
        if not 0 < self.monthly_active_user_share <= 1:
            raise ConfigError(
                "identity.monthly_active_user_share", self.monthly_active_user_share, "(0, 1]"
            )
        if not 15 <= self.password_min_length <= 99:
            raise ConfigError(
                "identity.password_min_length",
                self.password_min_length,
                "15..99 (NIST SP 800-63B single-factor minimum; Cognito maximum)",
            )
        if not 1 <= self.temporary_password_validity_days <= 7:
            raise ConfigError(
                "identity.temporary_password_validity_days",
                self.temporary_password_validity_days,
                "1..7",
            )
        for name in ("access_token_minutes", "id_token_minutes"):
            if not 5 <= getattr(self, name) <= 60:
                raise ConfigError(f"identity.{name}", getattr(self, name), "5..60 (AC-12)")
        if not 1 <= self.refresh_token_hours <= 24:
            raise ConfigError(
                "identity.refresh_token_hours", self.refresh_token_hours, "1..24 (AC-12)"
            )
        if not 0 <= self.refresh_token_grace_seconds <= 60:
            raise ConfigError(
                "identity.refresh_token_grace_seconds", self.refresh_token_grace_seconds, "0..60"
            )
        if not 3 <= self.auth_session_minutes <= 15:
            raise ConfigError(
                "identity.auth_session_minutes", self.auth_session_minutes, "3..15 (Cognito)"
            )
        for name in ("callback_path", "sign_out_path"):
            if not getattr(self, name).startswith("/"):
                raise ConfigError(f"identity.{name}", getattr(self, name), "a path starting /")
