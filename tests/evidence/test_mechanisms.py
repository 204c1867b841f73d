"""Each control whose status the project's own rules set turns away from ``implemented`` when its
mechanism is removed from a copy of the session's prod templates (nothing is synthesized again).

The copy's cdk-nag observations are the session package's: removing a property can only add
failures to them, and a status never improves with a failure, so the project's rule alone is
shown to move the control.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from evidence.assembly import read_assembly
from evidence.observations import Observation, rule_observations
from evidence.provenance import of_repository
from evidence.registry import RULES
from evidence.status import PARTIAL, statuses
from tests.evidence.conftest import ROOT, read_csv


def _baseline_nag(package_dir: Path) -> list[Observation]:
    return [
        Observation(
            check=row["check"],
            source=row["source"],
            title="",
            controls=tuple(row["controls"].split()),
            stack=row["stack"],
            logical_id=row["logical_id"],
            resource_type=row["resource_type"],
            result=row["result"],
            reason=row["reason"],
            property_path=row["property_path"],
            value=row["value"],
            template_sha256=row["template_sha256"],
        )
        for row in read_csv(package_dir / "observations.csv")
        if row["source"] != "pcs"
    ]


def _drop(*path: str) -> Callable[[dict], None]:
    def mutate(props: dict) -> None:
        for key in path[:-1]:
            props = props[key]
        del props[path[-1]]

    return mutate


def _set(value, *path: str) -> Callable[[dict], None]:
    def mutate(props: dict) -> None:
        for key in path[:-1]:
            props = props[key]
        props[path[-1]] = value

    return mutate


def _lifecycle(days: int, field: str) -> Callable[[dict], None]:
    def mutate(props: dict) -> None:
        for rule in props["LifecycleConfiguration"]["Rules"]:
            rule[field] = days

    return mutate


def _backup_kept(days: int) -> Callable[[dict], None]:
    def mutate(props: dict) -> None:
        for rule in props["BackupPlan"]["BackupPlanRule"]:
            rule["Lifecycle"]["DeleteAfterDays"] = days

    return mutate


def _without_object_lock(props: dict) -> None:
    del props["ObjectLockConfiguration"]
    del props["ObjectLockEnabled"]


def _without_fips(props: dict) -> None:
    for container in props["ContainerDefinitions"]:
        container["Environment"] = [
            e for e in container["Environment"] if e["Name"] != "AWS_USE_FIPS_ENDPOINT"
        ]


# control, the project's rule, stack, logical id prefix, what is removed
MUTATIONS = [
    ("au-9", "PCS-AU9-LogBucketLocked", "audit", "ArchiveBucket", _without_object_lock),
    ("au-11", "PCS-AU11-LogRetention", "compute", "ApiLogs", _set(90, "RetentionInDays")),
    ("au-11", "PCS-AU11-LogBucketRetention", "foundation", "Logs6819",
     _lifecycle(365, "ExpirationInDays")),
    ("si-4", "PCS-SI4-GuardDuty", "audit", "GuardDutyDetector", _drop("Enable")),
    # The flow log is its own resource; the rule reads it from its VPC.
    ("si-4", "PCS-SI4-FlowLogs", "network", "AWS::EC2::FlowLog", _set("REJECT", "TrafficType")),
    ("ia-2", "PCS-IA2-UserPoolMfa", "identity", "UsersPool", _drop("MfaConfiguration")),
    ("ia-5", "PCS-IA5-PasswordLength", "identity", "UsersPool",
     _set(6, "Policies", "PasswordPolicy", "MinimumLength")),
    ("ac-7", "PCS-AC7-ThreatProtection", "identity", "UsersPool", _drop("UserPoolAddOns")),
    ("ac-12", "PCS-AC12-TokenLifetimes", "identity", "UsersPoolWebClient",
     _drop("RefreshTokenValidity")),
    ("sc-7", "PCS-SC7-EgressInline", "network", "SecurityGroupsDatabase",
     _drop("SecurityGroupEgress")),
    ("sc-8", "PCS-SC8-DatabaseTLS", "data", "AuroraClusterParameters",
     _drop("Parameters", "rds.force_ssl")),
    ("sc-8", "PCS-SC8-CacheTLS", "data", "CacheReplicationGroup",
     _drop("TransitEncryptionEnabled")),
    ("sc-8", "PCS-SC8-KafkaTLS", "data", "KafkaCluster",
     _set("TLS_PLAINTEXT", "EncryptionInfo", "EncryptionInTransit", "ClientBroker")),
    ("sc-8", "PCS-SC8-TargetGroupTLS", "origin", "ApiBlue", _set("HTTP", "Protocol")),
    ("sc-13", "PCS-SC13-FipsContainers", "compute", "ApiTaskDefinition", _without_fips),
    ("sc-28", "PCS-SC28-DatabaseEncrypted", "data", "AuroraCluster", _drop("StorageEncrypted")),
    ("cp-9", "PCS-CP9-BackupRetention", "backup", "PlansPlan", _backup_kept(1)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("control", "rule", "stack", "prefix", "mutate"),
    MUTATIONS,
    ids=[f"{m[0]}:{m[1]}" for m in MUTATIONS],
)
def test_removing_the_mechanism_turns_its_control_away_from_implemented(
    control, rule, stack, prefix, mutate, assembly_copy, package_dir
):
    template_path = assembly_copy / f"pcs-prod-{stack}.template.json"
    template = json.loads(template_path.read_text())
    rule_type = next(r.resource_type for r in RULES if r.id == rule)
    # The resource changed: the rule's resource named by its logical id prefix, or the first of
    # a type the rule reads beside it.
    logical_id = next(
        lid
        for lid, resource in sorted(template["Resources"].items())
        if (lid.startswith(prefix) and resource["Type"] == rule_type) or resource["Type"] == prefix
    )
    baseline = _baseline_nag(package_dir)
    committed_at = of_repository(ROOT).committed_at
    before = statuses(baseline + rule_observations(read_assembly(assembly_copy)), committed_at)

    mutate(template["Resources"][logical_id]["Properties"])
    template_path.write_text(json.dumps(template))
    mutated = rule_observations(read_assembly(assembly_copy))
    after = statuses(baseline + mutated, committed_at)

    assert before[control].status != PARTIAL, before[control].remark
    assert after[control].status == PARTIAL, after[control].remark
    failing = {(o.check, o.stack) for o in mutated if o.result == "fail"}
    assert (rule, f"pcs-prod-{stack}") in failing


def test_every_project_rule_names_moderate_controls_and_a_runtime_pairing_or_none():
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    pack = {rule.config_rule for rule in RULES} - {""}
    # Names of AWS Config rules in AWS's NIST 800-53 Rev 5 conformance pack.
    assert pack == {
        "guardduty-enabled-centralized",
        "securityhub-enabled",
        "vpc-flow-logs-enabled",
        "vpc-default-security-group-closed",
        "s3-bucket-server-side-encryption-enabled",
    }
