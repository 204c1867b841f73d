"""The user pool: MFA, threat protection, NIST SP 800-63B passwords, no sign-up, AC-12 tokens."""

from __future__ import annotations

import pytest

from tests.infra.conftest import resources


def _only(result, resource_type: str) -> dict:
    (resource,) = resources(result, "identity", resource_type).values()
    return resource["Properties"]


def _pool(result) -> dict:
    return _only(result, "AWS::Cognito::UserPool")


def _client(result) -> dict:
    return _only(result, "AWS::Cognito::UserPoolClient")


def test_mfa_is_required_with_totp_and_never_sms(prod):
    pool = _pool(prod)
    assert pool["MfaConfiguration"] == "ON"
    assert pool["EnabledMfas"] == ["SOFTWARE_TOKEN_MFA"]


def test_passkeys_sign_in_only_as_multi_factor_with_user_verification(prod):
    pool = _pool(prod)
    assert pool["Policies"]["SignInPolicy"]["AllowedFirstAuthFactors"] == ["PASSWORD", "WEB_AUTHN"]
    assert pool["WebAuthnFactorConfiguration"] == "MULTI_FACTOR_WITH_USER_VERIFICATION"
    assert pool["WebAuthnUserVerification"] == "required"
    domain = _only(prod, "AWS::Cognito::UserPoolDomain")
    assert pool["WebAuthnRelyingPartyID"] == f"{domain['Domain']}.auth.us-east-1.amazoncognito.com"
    assert domain["ManagedLoginVersion"] == 2  # the classic hosted UI offers no passkeys


def test_threat_protection_is_enforced_on_the_plus_plan(prod):
    pool = _pool(prod)
    assert pool["UserPoolTier"] == "PLUS"
    assert pool["UserPoolAddOns"] == {"AdvancedSecurityMode": "ENFORCED"}


def test_high_risk_sign_ins_and_breached_passwords_are_blocked(prod):
    risk = _only(prod, "AWS::Cognito::UserPoolRiskConfigurationAttachment")
    assert risk["ClientId"] == "ALL"
    actions = risk["AccountTakeoverRiskConfiguration"]["Actions"]
    assert actions["HighAction"]["EventAction"] == "BLOCK"
    assert actions["MediumAction"]["EventAction"] == "MFA_REQUIRED"
    credentials = risk["CompromisedCredentialsRiskConfiguration"]
    assert credentials["Actions"]["EventAction"] == "BLOCK"
    assert {"SIGN_IN", "PASSWORD_CHANGE"} <= set(credentials["EventFilter"])


def test_password_policy_is_length_without_composition_rules(prod):
    policy = _pool(prod)["Policies"]["PasswordPolicy"]
    assert policy["MinimumLength"] == 15
    for rule in ("RequireLowercase", "RequireUppercase", "RequireNumbers", "RequireSymbols"):
        assert policy[rule] is False, rule


def test_nobody_signs_up_themselves(prod):
    assert _pool(prod)["AdminCreateUserConfig"] == {"AllowAdminCreateUserOnly": True}


def test_usernames_are_case_insensitive_and_email_is_an_alias(prod):
    pool = _pool(prod)
    assert pool["UsernameConfiguration"] == {"CaseSensitive": False}
    assert pool["AliasAttributes"] == ["email"]


@pytest.mark.parametrize(("env", "expected"), [("prod", "ACTIVE"), ("dev", "INACTIVE")])
def test_deletion_protection_follows_the_environment(request, env, expected):
    assert _pool(request.getfixturevalue(env))["DeletionProtection"] == expected


def test_web_client_is_public_and_uses_the_authorization_code_flow(prod):
    client = _client(prod)
    assert client["GenerateSecret"] is False
    assert client["AllowedOAuthFlows"] == ["code"]
    assert client["CallbackURLs"] == ["https://app.pcs.example.com/auth/callback"]
    assert client["SupportedIdentityProviders"] == ["COGNITO"]  # federation off by default


def test_token_lifetimes_implement_ac_12(prod):
    client = _client(prod)
    assert client["TokenValidityUnits"] == {
        "AccessToken": "minutes",
        "IdToken": "minutes",
        "RefreshToken": "minutes",
    }
    assert (client["AccessTokenValidity"], client["IdTokenValidity"]) == (15, 15)
    assert client["RefreshTokenValidity"] == 12 * 60  # the session's absolute end
    assert client["RefreshTokenRotation"]["Feature"] == "ENABLED"
    assert client["EnableTokenRevocation"] is True
    assert client["PreventUserExistenceErrors"] == "ENABLED"


def test_sign_in_activity_is_exported_to_the_audit_archive(prod):
    delivery = _only(prod, "AWS::Cognito::LogDeliveryConfiguration")
    (configuration,) = delivery["LogConfigurations"]
    assert configuration["EventSource"] == "userAuthEvents"
    assert "ArchiveSignIn" in str(configuration["FirehoseConfiguration"]["StreamArn"])


def test_identity_stack_has_exactly_its_resources(prod):
    assert dict(prod.stacks["pcs-prod-identity"].resource_types) == {
        "AWS::Cognito::UserPool": 1,
        "AWS::Cognito::UserPoolDomain": 1,
        "AWS::Cognito::UserPoolClient": 1,
        "AWS::Cognito::UserPoolRiskConfigurationAttachment": 1,
        "AWS::Cognito::LogDeliveryConfiguration": 1,
        "AWS::Cognito::ManagedLoginBranding": 1,
        # The key set captured at deploy for the API (infra/identity/key_set.py), and CDK's
        # writer of the pool's ids into the DR region (a cross-region reference).
        "Custom::UserPoolKeySet": 1,
        "Custom::CrossRegionExportWriter": 1,
        "AWS::Lambda::Function": 2,
        "AWS::IAM::Role": 2,
        "AWS::IAM::Policy": 1,
        "AWS::Logs::LogGroup": 1,
        "AWS::Logs::SubscriptionFilter": 1,  # the key-set log's 30-month copy (issue 26)
    }
