"""Customer-managed KMS keys, one per data domain, rotated, and opened only to their services."""

from __future__ import annotations

import json
from fnmatch import fnmatch

import pytest

from infra.defaults import kms as kms_defaults
from tests.infra.conftest import resources

DOMAINS = [
    "audit",
    "backup",
    "cache",
    "database",
    "ecs-exec",
    "kafka",
    "logs",
    "secrets",
    "sns",
    "storage",
]


def _keys(result) -> dict[str, dict]:
    aliases = resources(result, "foundation", "AWS::KMS::Alias").values()
    keys = resources(result, "foundation", "AWS::KMS::Key")
    return {
        a["Properties"]["AliasName"].rsplit("/", 1)[-1]: keys[
            a["Properties"]["TargetKeyId"]["Fn::GetAtt"][0]
        ]
        for a in aliases
    }


def test_there_is_one_key_per_data_domain(prod):
    assert sorted(_keys(prod)) == DOMAINS


@pytest.mark.parametrize("domain", DOMAINS)
def test_key_rotates_yearly(prod, domain):
    properties = _keys(prod)[domain]["Properties"]
    assert properties["EnableKeyRotation"] is True
    assert properties["RotationPeriodInDays"] == 365


@pytest.mark.parametrize("domain", DOMAINS)
def test_key_is_retained_when_its_stack_is_deleted(prod, domain):
    assert _keys(prod)[domain]["DeletionPolicy"] == "RetainExceptOnCreate"


def _service_principals(result, domain: str) -> set[str]:
    statements = _keys(result)[domain]["Properties"]["KeyPolicy"]["Statement"]
    return {s["Principal"]["Service"] for s in statements if "Service" in s.get("Principal", {})}


def test_logs_key_admits_only_the_log_delivering_services(prod):
    assert _service_principals(prod, "logs") == {
        "logs.us-east-1.amazonaws.com",
        "delivery.logs.amazonaws.com",
        "cloudtrail.amazonaws.com",
    }


def test_data_keys_admit_no_aws_service_directly(prod):
    for domain in ("database", "storage", "secrets", "kafka", "cache"):
        assert _service_principals(prod, domain) == set()


def _text(value) -> str:
    """A template value as the ARN it renders in the ``aws`` partition."""
    if isinstance(value, dict) and "Fn::Join" in value:
        return "".join(_text(part) for part in value["Fn::Join"][1])
    if value == {"Ref": "AWS::Partition"}:
        return "aws"
    return value


def _every_key_policy(result) -> dict[str, list[dict]]:
    """``{stack/logical id: key policy statements}`` of every KMS key of every stack."""
    return {
        f"{name}/{logical_id}": key["Properties"]["KeyPolicy"]["Statement"]
        for name, stack in result.stacks.items()
        for logical_id, key in stack.template["Resources"].items()
        if key["Type"] == "AWS::KMS::Key"
    }


def _actions(statement: dict) -> list[str]:
    action = statement["Action"]
    return action if isinstance(action, list) else [action]


def _administrators(result) -> set[str]:
    """The deployment's key administrator role: the only principal that administers a key."""
    deployment = result.config.deployment
    return {f"arn:aws:iam::{deployment.account}:role/{deployment.key_administrator_role}"}


def _arns(value) -> set[str]:
    return {_text(arn) for arn in (value if isinstance(value, list) else [value])}


def test_every_key_of_every_stack_and_region_is_checked(prod):
    # The 10 domain keys, the image key, and the DR region's backup, database, storage, secrets,
    # logs, ECS Exec, cache and audit (its archive and Config's log archive), and the DR alert
    # topic's key (dr-alerts).
    assert len(_every_key_policy(prod)) == 20


def test_every_key_policy_denies_key_administration_to_all_but_the_administrators(prod):
    for key, statements in _every_key_policy(prod).items():
        (deny,) = [s for s in statements if s["Effect"] == "Deny"]
        assert deny["Principal"] == {"AWS": "*"}, key
        assert {"kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy"} <= set(
            _actions(deny)
        ), key
        (excepted,) = deny["Condition"]["ArnNotEquals"].values()
        assert _arns(excepted) == _administrators(prod), key


def test_only_the_administrators_are_allowed_to_administer_a_key(prod):
    guarded = {"kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy"}
    for key, statements in _every_key_policy(prod).items():
        allowing = [s for s in statements if s["Effect"] == "Allow" and guarded & set(_actions(s))]
        assert len(allowing) == 1, key
        (administrators,) = allowing[0]["Condition"]["ArnEquals"].values()
        assert _arns(administrators) == _administrators(prod), key


ADMINISTRATION = set(kms_defaults.ADMINISTRATION_ACTIONS) - {"kms:DescribeKey", "kms:ListGrants"}


@pytest.mark.parametrize("env_name", ["prod", "dev"])
def test_no_key_policy_grants_administration_to_any_principal_but_the_key_administrator(
    request, env_name
):
    # The account principal appears only under aws:PrincipalArn = the key administrator, so
    # the account can re-create that role to recover a key (AWS's lock-out recovery); the
    # root user and CloudFormation's execution role are denied the guarded actions.
    result = request.getfixturevalue(env_name)
    for key, statements in _every_key_policy(result).items():
        assert "cfn-exec-role" not in json.dumps(statements), key
        for statement in statements:
            actions = set(_actions(statement))
            granted = {a for a in ADMINISTRATION if any(fnmatch(a, p) for p in actions)}
            if statement["Effect"] != "Allow" or not granted:
                continue
            assert statement["Sid"] == "KeyAdministration", (key, statement["Sid"], granted)
            assert statement["Principal"] == {"AWS": _account_root(result)}, key
            (administrators,) = statement["Condition"]["ArnEquals"].values()
            assert _arns(administrators) == _administrators(result), key


def _account_root(result) -> dict:
    return {
        "Fn::Join": [
            "",
            ["arn:", {"Ref": "AWS::Partition"}, f":iam::{result.config.deployment.account}:root"],
        ]
    }


def test_no_key_policy_allows_kms_star(prod):
    for key, statements in _every_key_policy(prod).items():
        assert "kms:*" not in [a for s in statements for a in _actions(s)], key


def test_every_service_principal_is_conditioned_on_source_or_encryption_context(prod):
    pinning = ("aws:SourceArn", "aws:SourceAccount", "kms:EncryptionContext:")
    found = 0
    for key, statements in _every_key_policy(prod).items():
        for statement in statements:
            if "Service" in statement.get("Principal", {}):
                found += 1
                keys = [k for test in statement.get("Condition", {}).values() for k in test]
                assert any(k.startswith(pinning) for k in keys), (key, statement)
    assert found >= 5  # logs (4), sns (1), the ECS Exec log group's


def test_cloudtrail_may_only_generate_data_keys_for_the_trail_and_describe_the_key(prod):
    statements = _keys(prod)["logs"]["Properties"]["KeyPolicy"]["Statement"]
    trail = [s for s in statements if s.get("Principal") == {"Service": "cloudtrail.amazonaws.com"}]
    assert sorted(a for s in trail for a in _actions(s)) == [
        "kms:DescribeKey",
        "kms:GenerateDataKey*",
    ]
    trail_arn = f"arn:aws:cloudtrail:us-east-1:111111111111:trail/{prod.config.names.trail}"
    for statement in trail:
        assert _text(statement["Condition"]["StringEquals"]["aws:SourceArn"]) == trail_arn
    (data_keys,) = [s for s in trail if s["Action"] == "kms:GenerateDataKey*"]
    context = data_keys["Condition"]["StringLike"]["kms:EncryptionContext:aws:cloudtrail:arn"]
    assert _text(context) == f"arn:aws:cloudtrail:*:111111111111:trail/{prod.config.names.trail}"


def test_no_log_service_may_decrypt_without_the_log_groups_encryption_context(prod):
    statements = _keys(prod)["logs"]["Properties"]["KeyPolicy"]["Statement"]
    for statement in statements:
        if "Service" in statement.get("Principal", {}) and "kms:Decrypt*" in _actions(statement):
            assert statement["Principal"]["Service"] == "logs.us-east-1.amazonaws.com"
            assert "kms:EncryptionContext:aws:logs:arn" in statement["Condition"]["ArnLike"]


def test_service_principals_are_restricted_to_this_account(prod):
    # Either aws:SourceAccount or an encryption-context ARN in this account (CDK's log-group
    # grant) must bound every statement that names an AWS service.
    for domain in DOMAINS:
        for statement in _keys(prod)[domain]["Properties"]["KeyPolicy"]["Statement"]:
            if "Service" in statement.get("Principal", {}):
                assert "111111111111" in json.dumps(statement.get("Condition", {})), statement
