"""Sign-in that survives the region (issue 20 point 5): a standby user pool in the DR region,
built by the primary's construct with the same settings; the DR web tier signs in there and the
DR API accepts both pools' tokens (docs/decisions/identity-standby-pool.md)."""

from __future__ import annotations

import json

from tests.infra.conftest import resources

# What must be the same in both pools: everything but the region-bound names.
SETTINGS = (
    "MfaConfiguration",
    "EnabledMfas",
    "Policies",
    "AdminCreateUserConfig",
    "AccountRecoverySetting",
    "UserPoolAddOns",
    "UsernameConfiguration",
    "AliasAttributes",
    "UsernameAttributes",
    "AutoVerifiedAttributes",
    "Schema",
    "UserPoolTier",
    "WebAuthnUserVerification",
    "WebAuthnFactorConfiguration",
    "DeletionProtection",
)


def _pool(result, stack: str) -> dict:
    (pool,) = resources(result, stack, "AWS::Cognito::UserPool").values()
    return pool["Properties"]


def test_the_standby_pool_is_in_the_dr_region_with_the_primarys_settings(prod):
    assert prod.stacks["pcs-prod-dr-identity"].region == "us-west-2"
    primary, standby = _pool(prod, "identity"), _pool(prod, "dr-identity")
    assert {k: standby.get(k) for k in SETTINGS} == {k: primary.get(k) for k in SETTINGS}
    assert standby["MfaConfiguration"] == "ON"
    assert standby["UserPoolName"] == primary["UserPoolName"] == "pcs-prod-users"


def test_both_pools_have_the_same_clients_threat_protection_and_federation(prod):
    for resource_type in (
        "AWS::Cognito::UserPoolClient",
        "AWS::Cognito::UserPoolRiskConfigurationAttachment",
        "AWS::Cognito::UserPoolIdentityProvider",
        "AWS::Cognito::UserPoolDomain",
        "AWS::Cognito::LogDeliveryConfiguration",
    ):
        primary = resources(prod, "identity", resource_type)
        assert len(resources(prod, "dr-identity", resource_type)) == len(primary), resource_type
    (client,) = resources(prod, "dr-identity", "AWS::Cognito::UserPoolClient").values()
    (primary_client,) = resources(prod, "identity", "AWS::Cognito::UserPoolClient").values()
    for key in ("CallbackURLs", "LogoutURLs", "AllowedOAuthFlows", "AccessTokenValidity"):
        assert client["Properties"][key] == primary_client["Properties"][key], key


def _environment(result, stack: str, family: str) -> dict:
    for task in resources(result, stack, "AWS::ECS::TaskDefinition").values():
        if task["Properties"]["Family"] == family:
            (container,) = task["Properties"]["ContainerDefinitions"]
            return {e["Name"]: e["Value"] for e in container.get("Environment", [])}
    raise AssertionError(family)


def test_the_dr_web_tier_signs_users_in_at_the_dr_pool(prod):
    web = _environment(prod, "dr-compute", "pcs-prod-web")
    assert web["COGNITO_DOMAIN"] == "https://pcs-prod-111111111111.auth.us-west-2.amazoncognito.com"
    issuer = json.dumps(web["OIDC_ISSUER"])
    assert "cognito-idp.us-west-2.amazonaws.com" in issuer and "us-east-1" not in issuer
    assert web["OIDC_CLIENT_ID"]["Fn::ImportValue"].startswith("pcs-prod-dr-identity:")


def test_the_dr_api_accepts_its_own_pool_first_then_the_primarys(prod):
    api = _environment(prod, "dr-compute", "pcs-prod-api")
    parts = api["OIDC_ISSUER"]["Fn::Join"][1]
    assert parts[0] == "https://cognito-idp.us-west-2.amazonaws.com/"
    assert parts[1]["Fn::ImportValue"].startswith("pcs-prod-dr-identity:")
    assert parts[2] == ",https://cognito-idp.us-east-1.amazonaws.com/"
    # One key set with both pools' keys, captured at deploy in the DR region.
    assert api["COGNITO_JWKS"]["Fn::ImportValue"].startswith("pcs-prod-dr-identity:")
    (capture,) = resources(prod, "dr-identity", "Custom::UserPoolKeySet").values()
    (also,) = capture["Properties"]["AlsoAcceptedJwksUrls"]
    assert "cognito-idp.us-east-1.amazonaws.com/" in json.dumps(also)
    # The primary's API accepts its own pool only (the DR pool deploys after it).
    primary_api = _environment(prod, "compute", "pcs-prod-api")
    assert "us-west-2" not in json.dumps(primary_api["OIDC_ISSUER"])
