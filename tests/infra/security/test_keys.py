"""Customer-managed KMS keys, one per data domain, rotated, and opened only to their services."""

from __future__ import annotations

import json

import pytest

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


def test_service_principals_are_restricted_to_this_account(prod):
    # Either aws:SourceAccount or an encryption-context ARN in this account (CDK's log-group
    # grant) must bound every statement that names an AWS service.
    for domain in DOMAINS:
        for statement in _keys(prod)[domain]["Properties"]["KeyPolicy"]["Statement"]:
            if "Service" in statement.get("Principal", {}):
                assert "111111111111" in json.dumps(statement.get("Condition", {})), statement
