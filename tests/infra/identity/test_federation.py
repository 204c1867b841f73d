"""A customer's IdP, federated by configuration (off in the example deployments)."""

from __future__ import annotations

import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_kinesisfirehose as firehose
from aws_cdk import aws_kms as kms
from aws_cdk.assertions import Template

from infra.config import ConfigError, FederationConfig, FederationProtocol, IdentityConfig
from infra.identity.user_pool import PlatformUserPool

SECRET_ARN = "arn:aws:secretsmanager:us-east-1:111111111111:secret:pcs-idp-AbCdEf"


def _template(federation: FederationConfig) -> Template:
    stack = Stack(App(), "Identity", env={"account": "111111111111", "region": "us-east-1"})
    PlatformUserPool(
        stack,
        "Users",
        prefix="pcs-test",
        identity=IdentityConfig(federation=federation),
        site_domain="app.example.gov",
        sign_in_events=firehose.DeliveryStream.from_delivery_stream_arn(
            stack,
            "Events",
            "arn:aws:firehose:us-east-1:111111111111:deliverystream/pcs-test-audit-sign-in",
        ),
        logs_key=kms.Key.from_key_arn(
            stack, "LogsKey", "arn:aws:kms:us-east-1:111111111111:key/logs"
        ),
    )
    return Template.from_stack(stack)


def test_a_saml_idp_is_added_and_offered_by_the_web_client():
    template = _template(
        FederationConfig(
            name="AgencyIdP",
            protocol=FederationProtocol.SAML,
            saml_metadata_url="https://idp.agency.example.gov/saml/metadata",
        )
    )
    template.has_resource_properties(
        "AWS::Cognito::UserPoolIdentityProvider",
        {
            "ProviderName": "AgencyIdP",
            "ProviderType": "SAML",
            "ProviderDetails": {"MetadataURL": "https://idp.agency.example.gov/saml/metadata"},
        },
    )
    (provider_id,) = template.find_resources("AWS::Cognito::UserPoolIdentityProvider")
    template.has_resource_properties(
        "AWS::Cognito::UserPoolClient",
        {"SupportedIdentityProviders": ["COGNITO", {"Ref": provider_id}]},
    )


def test_an_oidc_idp_reads_its_client_secret_from_secrets_manager_at_deploy():
    template = _template(
        FederationConfig(
            name="AgencyOidc",
            protocol=FederationProtocol.OIDC,
            oidc_issuer="https://login.agency.example.gov",
            oidc_client_id="pcs-platform",
            oidc_client_secret_arn=SECRET_ARN,
        )
    )
    (provider,) = template.find_resources("AWS::Cognito::UserPoolIdentityProvider").values()
    details = provider["Properties"]["ProviderDetails"]
    assert provider["Properties"]["ProviderType"] == "OIDC"
    assert details["oidc_issuer"] == "https://login.agency.example.gov"
    assert (
        details["client_secret"] == f"{{{{resolve:secretsmanager:{SECRET_ARN}:SecretString:::}}}}"
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"protocol": FederationProtocol.SAML}, "identity.federation.saml_metadata_url"),
        ({"protocol": FederationProtocol.OIDC}, "identity.federation.oidc_issuer"),
        (
            {"protocol": FederationProtocol.SAML, "saml_metadata_url": "http://idp/metadata"},
            "identity.federation.saml_metadata_url",
        ),
        ({"protocol": FederationProtocol.SAML, "name": "has space"}, "identity.federation.name"),
    ],
)
def test_an_incomplete_federation_is_refused_naming_the_field(changes, field):
    with pytest.raises(ConfigError, match=field.replace(".", r"\.")):
        FederationConfig(**{"name": "AgencyIdP", **changes})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("password_min_length", 8),
        ("access_token_minutes", 120),
        ("refresh_token_hours", 720),
        ("feature_plan", "ESSENTIALS"),
    ],
)
def test_identity_settings_looser_than_the_decisions_are_refused(field, value):
    with pytest.raises(ConfigError, match=rf"identity\.{field}"):
        IdentityConfig(**{field: value})
