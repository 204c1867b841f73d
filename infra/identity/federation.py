"""A customer's SAML or OIDC identity provider, federated into the user pool by configuration."""

from __future__ import annotations

from aws_cdk import SecretValue
from aws_cdk import aws_cognito as cognito
from constructs import Construct

from infra.config import FederationConfig, FederationProtocol


def federated_provider(
    scope: Construct,
    construct_id: str,
    *,
    pool: cognito.IUserPool,
    federation: FederationConfig,
) -> cognito.UserPoolIdentityProviderBase:
    """The configured IdP in ``pool``; its users' email comes from ``federation.email_claim``.

    The OIDC client secret is read from Secrets Manager at deploy time (a dynamic reference in
    the template, never the value).
    """
    mapping = cognito.AttributeMapping(
        email=cognito.ProviderAttribute.other(federation.email_claim)
    )
    if federation.protocol is FederationProtocol.SAML:
        assert federation.saml_metadata_url is not None  # FederationConfig validates
        return cognito.UserPoolIdentityProviderSaml(
            scope,
            construct_id,
            user_pool=pool,
            name=federation.name,
            metadata=cognito.UserPoolIdentityProviderSamlMetadata.url(federation.saml_metadata_url),
            attribute_mapping=mapping,
        )
    assert federation.oidc_client_secret_arn is not None  # FederationConfig validates
    return cognito.UserPoolIdentityProviderOidc(
        scope,
        construct_id,
        user_pool=pool,
        name=federation.name,
        issuer_url=federation.oidc_issuer,
        client_id=federation.oidc_client_id,
        # A "{{resolve:secretsmanager:...}}" dynamic reference: CloudFormation reads the secret
        # at deploy; the template (and this string) never hold its value.
        client_secret=SecretValue.secrets_manager(
            federation.oidc_client_secret_arn
        ).unsafe_unwrap(),
        scopes=["openid", "email"],
        attribute_mapping=mapping,
    )
