"""The Cognito user pool people sign in with, and the web front end's app client.

Decisions: docs/decisions/identity-cognito.md (MFA, passwords, lockout, sign-up, federation) and
docs/decisions/identity-token-lifetimes.md (AC-12).
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_kinesisfirehose as firehose
from aws_cdk import aws_kms as kms
from constructs import Construct

from infra.config import IdentityConfig
from infra.gate.nag import acknowledge
from infra.identity.federation import federated_provider
from infra.identity.key_set import CapturedKeySet

# Threat protection's answers to a sign-in by risk level (adaptive authentication).
_RISK_ACTIONS = {"high": "BLOCK", "medium": "MFA_REQUIRED", "low": "MFA_IF_CONFIGURED"}


def sign_in_domain_prefix(prefix: str, account: str) -> str:
    """The pool's managed-login domain prefix, ``<prefix>-<account>`` (unique per region)."""
    return f"{prefix}-{account}"


def sign_in_hostname(prefix: str, account: str, region: str) -> str:
    """Managed login's host: the passkeys' relying party and the browser's sign-in origin."""
    return f"{sign_in_domain_prefix(prefix, account)}.auth.{region}.amazoncognito.com"


def issuer_origin(region: str) -> str:
    """The origin of every user pool's issuer, discovery document and keys in ``region``."""
    return f"https://cognito-idp.{region}.amazonaws.com"


@dataclass(frozen=True)
class IdentityEndpoint:
    """What a relying party needs: the token issuer, its keys, the accepted client id."""

    issuer: str
    jwks_url: str
    jwks: str  # the key set itself, read at deploy (for the API, which cannot fetch it)
    client_id: str
    user_pool_id: str
    user_pool_arn: str
    sign_in_url: str  # managed login's base URL (authorize, token and logout endpoints)
    # Other pools whose access tokens the API also accepts (the standby's API: the primary's,
    # whose tokens stay valid across a region switch); ``jwks`` holds their keys too.
    also_accepted: tuple[IdentityEndpoint, ...] = ()

    @property
    def accepted_issuers(self) -> str:
        """Every issuer the API accepts, comma-separated, this pool's first."""
        return ",".join((self.issuer, *(other.issuer for other in self.also_accepted)))

    @property
    def accepted_client_ids(self) -> str:
        """Every app client the API accepts, comma-separated, this pool's first."""
        return ",".join((self.client_id, *(other.client_id for other in self.also_accepted)))


class PlatformUserPool(Construct):
    """A user pool on the Plus plan: MFA required, threat protection enforced, no sign-up.

    Exposes :attr:`pool`, :attr:`web_client` and :attr:`endpoint`. ``site_domain`` is the web
    front end's host (its OAuth redirects); ``sign_in_events`` receives threat protection's
    sign-in activity log, the pool's half of the authentication audit trail.
    ``logs_key`` encrypts the log of the deploy-time key-set capture (:attr:`endpoint`'s ``jwks``).
    ``also_accepted``: pools whose tokens the API accepts too (their keys join ``jwks``).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        prefix: str,
        identity: IdentityConfig,
        site_domain: str,
        sign_in_events: firehose.IDeliveryStream,
        logs_key: kms.IKey,
        also_accepted: tuple[IdentityEndpoint, ...] = (),
    ) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        domain_prefix = sign_in_domain_prefix(prefix, stack.account)
        sign_in_host = sign_in_hostname(prefix, stack.account, stack.region)
        self.pool = cognito.UserPool(
            self,
            "Pool",
            user_pool_name=f"{prefix}-users",
            feature_plan=cognito.FeaturePlan(identity.feature_plan),
            standard_threat_protection_mode=cognito.StandardThreatProtectionMode.FULL_FUNCTION,
            self_sign_up_enabled=False,  # organization admins create users (AC-2)
            sign_in_aliases=cognito.SignInAliases(username=True, email=True),
            sign_in_case_sensitive=False,
            auto_verify=cognito.AutoVerifiedAttrs(email=True),
            standard_attributes=cognito.StandardAttributes(
                email=cognito.StandardAttribute(required=True, mutable=True)
            ),
            mfa=cognito.Mfa.REQUIRED,
            mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=False, email=False),
            sign_in_policy=cognito.SignInPolicy(
                allowed_first_auth_factors=cognito.AllowedFirstAuthFactors(
                    password=True, passkey=identity.passkeys
                )
            ),
            passkey_relying_party_id=sign_in_host if identity.passkeys else None,
            passkey_user_verification=(
                cognito.PasskeyUserVerification.REQUIRED if identity.passkeys else None
            ),
            password_policy=cognito.PasswordPolicy(
                min_length=identity.password_min_length,
                require_lowercase=False,
                require_uppercase=False,
                require_digits=False,
                require_symbols=False,
                temp_password_validity=Duration.days(identity.temporary_password_validity_days),
            ),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            deletion_protection=identity.deletion_protection,
            removal_policy=RemovalPolicy.RETAIN,
        )
        if identity.passkeys:
            # A passkey with user verification is itself multi-factor (possession plus a PIN or
            # biometric), so it may stand as the whole sign-in in a pool that requires MFA.
            pool_resource = self.pool.node.default_child
            assert isinstance(pool_resource, cognito.CfnUserPool)
            pool_resource.web_authn_factor_configuration = "MULTI_FACTOR_WITH_USER_VERIFICATION"
        acknowledge(
            self.pool,
            "NIST SP 800-63B (sec. 3.1.1.2) forbids composition rules: the policy requires the "
            "configured minimum length (15), refuses breached passwords through threat "
            "protection's compromised-credentials check, and MFA is required for every user.",
            "AwsSolutions-COG1",
        )
        self._threat_responses()
        self._export_sign_in_events(sign_in_events)
        domain = self.pool.add_domain(
            "Domain",
            cognito_domain=cognito.CognitoDomainOptions(domain_prefix=domain_prefix),
            managed_login_version=cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
        )
        providers = [cognito.UserPoolClientIdentityProvider.COGNITO]
        federated = None
        if identity.federation is not None:
            federated = federated_provider(
                self, "Federation", pool=self.pool, federation=identity.federation
            )
            providers.append(cognito.UserPoolClientIdentityProvider.custom(federated.provider_name))
        self.web_client = self.pool.add_client(
            "WebClient",
            user_pool_client_name=f"{prefix}-web",
            generate_secret=False,  # a public client: authorization code with PKCE
            o_auth=cognito.OAuthSettings(
                flows=cognito.OAuthFlows(authorization_code_grant=True),
                scopes=[cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL],
                callback_urls=[f"https://{site_domain}{identity.callback_path}"],
                logout_urls=[f"https://{site_domain}{identity.sign_out_path}"],
            ),
            supported_identity_providers=providers,
            access_token_validity=Duration.minutes(identity.access_token_minutes),
            id_token_validity=Duration.minutes(identity.id_token_minutes),
            refresh_token_validity=Duration.hours(identity.refresh_token_hours),
            auth_session_validity=Duration.minutes(identity.auth_session_minutes),
            refresh_token_rotation_grace_period=Duration.seconds(
                identity.refresh_token_grace_seconds
            ),
            enable_token_revocation=True,
            prevent_user_existence_errors=True,
        )
        if federated is not None:
            self.web_client.node.add_dependency(federated)
        # Managed login shows a client's pages only once the client has a style.
        cognito.CfnManagedLoginBranding(
            self,
            "WebClientBranding",
            user_pool_id=self.pool.user_pool_id,
            client_id=self.web_client.user_pool_client_id,
            use_cognito_provided_values=True,
        ).add_resource_dependency(domain.node.default_child)
        issuer = f"{issuer_origin(stack.region)}/{self.pool.user_pool_id}"
        jwks_url = f"{issuer}/.well-known/jwks.json"
        key_set = CapturedKeySet(
            self,
            "KeySet",
            jwks_url=jwks_url,
            also_accepted=tuple(other.jwks_url for other in also_accepted),
            logs_key=logs_key,
            log_retention_days=identity.log_retention_days,
        )
        self.endpoint = IdentityEndpoint(
            issuer=issuer,
            jwks_url=jwks_url,
            jwks=key_set.jwks,
            client_id=self.web_client.user_pool_client_id,
            user_pool_id=self.pool.user_pool_id,
            user_pool_arn=self.pool.user_pool_arn,
            sign_in_url=f"https://{sign_in_host}",
            also_accepted=also_accepted,
        )

    def _threat_responses(self) -> None:
        """Block high-risk sign-ins and breached passwords; ask for MFA on any other risk."""

        def action(
            level: str,
        ) -> cognito.CfnUserPoolRiskConfigurationAttachment.AccountTakeoverActionTypeProperty:
            return cognito.CfnUserPoolRiskConfigurationAttachment.AccountTakeoverActionTypeProperty(
                event_action=_RISK_ACTIONS[level], notify=False
            )

        cognito.CfnUserPoolRiskConfigurationAttachment(
            self,
            "ThreatResponses",
            user_pool_id=self.pool.user_pool_id,
            client_id="ALL",
            account_takeover_risk_configuration=cognito.CfnUserPoolRiskConfigurationAttachment.AccountTakeoverRiskConfigurationTypeProperty(
                actions=cognito.CfnUserPoolRiskConfigurationAttachment.AccountTakeoverActionsTypeProperty(
                    high_action=action("high"),
                    medium_action=action("medium"),
                    low_action=action("low"),
                )
            ),
            compromised_credentials_risk_configuration=cognito.CfnUserPoolRiskConfigurationAttachment.CompromisedCredentialsRiskConfigurationTypeProperty(
                actions=cognito.CfnUserPoolRiskConfigurationAttachment.CompromisedCredentialsActionsTypeProperty(
                    event_action="BLOCK"
                ),
                event_filter=["SIGN_IN", "PASSWORD_CHANGE", "SIGN_UP"],
            ),
        )

    def _export_sign_in_events(self, stream: firehose.IDeliveryStream) -> None:
        """Threat protection's user activity (every sign-in, its outcome and risk) to the
        audit archive's sign-in stream."""
        cognito.CfnLogDeliveryConfiguration(
            self,
            "SignInEvents",
            user_pool_id=self.pool.user_pool_id,
            log_configurations=[
                cognito.CfnLogDeliveryConfiguration.LogConfigurationProperty(
                    event_source="userAuthEvents",
                    log_level="INFO",
                    firehose_configuration=cognito.CfnLogDeliveryConfiguration.FirehoseConfigurationProperty(
                        stream_arn=stream.delivery_stream_arn
                    ),
                )
            ],
        )
