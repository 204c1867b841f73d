"""Each of the project's rules turns its control away from ``implemented`` when its mechanism is
removed from a copy of the session's prod templates (nothing is synthesized again).

``MUTATIONS`` is the table (rule -> control, stack, resource, change): one case per rule of the
registry, and a test fails when a rule has none. The copy's cdk-nag observations are the session
package's: removing a property can only add failures to them, and a status never improves with a
failure, so the project's rule alone is shown to move the control.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from evidence import origin, release_path
from evidence.assembly import read_assembly
from evidence.catalog import moderate
from evidence.observations import Observation, rule_observations
from evidence.provenance import of_repository
from evidence.registry import RULES
from evidence.status import IMPLEMENTED, PARTIAL, statuses
from tests.evidence.conftest import ROOT, read_csv, read_observations

Change = Callable[[dict, str], None]  # (the template's Resources, the logical id changed)


def _kept_observations(package_dir: Path) -> list[Observation]:
    """The package's observations that a template rule of this project did not make: cdk-nag's,
    the release path's and the origin boundary's."""
    return [
        o
        for o in read_observations(package_dir)
        if o.source != "pcs" or o.stack == release_path.STACK or o.check == origin.CHECK
    ]


def _at(resources: dict, logical_id: str, path: tuple[str, ...]) -> dict:
    node = resources[logical_id]["Properties"]
    for key in path:
        node = node[key]
    return node


def _drop(*path: str) -> Change:
    def change(resources: dict, logical_id: str) -> None:
        del _at(resources, logical_id, path[:-1])[path[-1]]

    return change


def _set(value, *path: str) -> Change:
    def change(resources: dict, logical_id: str) -> None:
        _at(resources, logical_id, path[:-1])[path[-1]] = value

    return change


def _each(list_path: tuple[str, ...], value, *path: str) -> Change:
    """Set ``path`` to ``value`` in every item of the list at ``list_path``."""

    def change(resources: dict, logical_id: str) -> None:
        for item in _at(resources, logical_id, list_path):
            _at({"x": {"Properties": item}}, "x", path[:-1])[path[-1]] = value

    return change


def _delete_resource(resources: dict, logical_id: str) -> None:
    del resources[logical_id]


def _without_object_lock(resources: dict, logical_id: str) -> None:
    _drop("ObjectLockConfiguration")(resources, logical_id)
    _drop("ObjectLockEnabled")(resources, logical_id)


def _without_container_variable(name: str) -> Change:
    def change(resources: dict, logical_id: str) -> None:
        for container in _at(resources, logical_id, ("ContainerDefinitions",)):
            container["Environment"] = [e for e in container["Environment"] if e["Name"] != name]

    return change


def _with_container_variable(name: str, value: str) -> Change:
    def change(resources: dict, logical_id: str) -> None:
        container = _at(resources, logical_id, ("ContainerDefinitions",))[0]
        container["Environment"].append({"Name": name, "Value": value})

    return change


def _without_denies(resources: dict, logical_id: str) -> None:
    policy = _at(resources, logical_id, ("KeyPolicy",))
    policy["Statement"] = [s for s in policy["Statement"] if s["Effect"] != "Deny"]


def _unpinned_log_delivery(resources: dict, logical_id: str) -> None:
    for statement in _at(resources, logical_id, ("PolicyDocument", "Statement")):
        if "Service" in statement.get("Principal", {}):
            statement.pop("Condition", None)


@dataclass(frozen=True)
class Mutation:
    control: str  # the control that must leave `implemented`
    stack: str  # pcs-prod-<stack>
    target: str  # a logical id prefix of the rule's resource type, or a resource type beside it
    change: Change
    removed: str  # the mechanism taken away, as an assessor would say it


# The table: the project's rule -> its control and the single mechanism removal that fails it.
MUTATIONS: dict[str, Mutation] = {
    # evidence/mechanisms.py
    "PCS-AU9-LogBucketLocked": Mutation("au-9", "audit", "ArchiveBucket", _without_object_lock,
                                        "audit archive bucket without Object Lock"),
    "PCS-AU11-LogBucketRetention": Mutation(
        "au-11", "foundation", "Logs6819", _each(("LifecycleConfiguration", "Rules"), 365,
                                                 "ExpirationInDays"),
        "log bucket objects expire after 365 days"),
    "PCS-SI4-GuardDuty": Mutation("si-4", "audit", "GuardDutyDetector", _drop("Enable"),
                                  "GuardDuty detector not enabled"),
    "PCS-SI4-SecurityHub": Mutation(
        "si-4", "audit", "AWS::SecurityHub::Standard",
        _set("arn:aws:securityhub:us-east-1::standards/cis-aws-foundations-benchmark/v/3.0.0",
             "StandardsArn"),
        "Security Hub runs CIS instead of NIST 800-53"),
    "PCS-CA7-ConfigRecorder": Mutation("ca-7", "audit", "ConfigRecorder",
                                       _set(False, "RecordingGroup", "AllSupported"),
                                       "AWS Config records only some resource types"),
    # The flow log is its own resource; the rule reads it from its VPC.
    "PCS-SI4-FlowLogs": Mutation("si-4", "network", "AWS::EC2::FlowLog",
                                 _set("REJECT", "TrafficType"),
                                 "flow log of rejected traffic only"),
    "PCS-IA5-PasswordLength": Mutation("ia-5", "identity", "UsersPool",
                                       _set(6, "Policies", "PasswordPolicy", "MinimumLength"),
                                       "6-character passwords"),
    "PCS-IA5-BreachedPasswords": Mutation(
        "ia-5", "identity", "UsersThreatResponses",
        _set("NO_ACTION", "CompromisedCredentialsRiskConfiguration", "Actions", "EventAction"),
        "breached passwords allowed"),
    "PCS-AC7-ThreatProtection": Mutation("ac-7", "identity", "UsersPool", _drop("UserPoolAddOns"),
                                         "threat protection off"),
    "PCS-AC12-TokenLifetimes": Mutation("ac-12", "identity", "UsersPoolWebClient",
                                        _drop("RefreshTokenValidity"),
                                        "refresh tokens at Cognito's 30-day default"),
    "PCS-SC8-DatabaseTLS": Mutation("sc-8", "data", "AuroraClusterParameters",
                                    _drop("Parameters", "rds.force_ssl"),
                                    "Aurora without rds.force_ssl"),
    "PCS-SC8-CacheTLS": Mutation("sc-8", "data", "CacheReplicationGroup",
                                 _drop("TransitEncryptionEnabled"),
                                 "Valkey without transit encryption"),
    "PCS-SC8-KafkaTLS": Mutation(
        "sc-8", "data", "KafkaCluster",
        _set("TLS_PLAINTEXT", "EncryptionInfo", "EncryptionInTransit", "ClientBroker"),
        "MSK accepts plaintext clients"),
    "PCS-SC8-TargetGroupTLS": Mutation("sc-8", "origin", "ApiBlue", _set("HTTP", "Protocol"),
                                       "ALB reaches the API over HTTP"),
    # The migrate task's: the API, worker and Beat pin Lambda's, Firehose's or CloudWatch's
    # standard hosts (Beat publishes the queue metrics, issue 25), acknowledged on their task
    # definitions (no FIPS PrivateLink service for those).
    "PCS-SC13-TaskEndpoints": Mutation(
        "sc-13", "compute", "MigrationTaskDefinition",
        _with_container_variable("AWS_ENDPOINT_URL_S3", "https://s3.us-east-1.amazonaws.com"),
        "migrate task pins S3's non-FIPS endpoint"),
    "PCS-SC28-BucketEncrypted": Mutation("sc-28", "data", "BucketsDocuments",
                                         _drop("BucketEncryption"),
                                         "documents bucket without default encryption"),
    "PCS-SC28-DatabaseEncrypted": Mutation("sc-28", "data", "AuroraCluster",
                                           _drop("StorageEncrypted"),
                                           "Aurora storage unencrypted"),
    "PCS-SC28-CacheEncrypted": Mutation("sc-28", "data", "CacheReplicationGroup",
                                        _drop("AtRestEncryptionEnabled"),
                                        "Valkey unencrypted at rest"),
    "PCS-SC28-KafkaEncrypted": Mutation("sc-28", "data", "KafkaCluster",
                                        _drop("EncryptionInfo", "EncryptionAtRest"),
                                        "MSK volumes without a customer managed key"),
    "PCS-CP9-BackupRetention": Mutation(
        "cp-9", "backup", "PlansPlan",
        _each(("BackupPlan", "BackupPlanRule"), 1, "Lifecycle", "DeleteAfterDays"),
        "backups kept one day"),
    # evidence/rules.py
    "PCS-SC7-DefaultGroupClosed": Mutation("sc-7", "network", "Custom::VpcRestrictDefaultSG",
                                           _delete_resource, "VPC default group left open"),
    "PCS-AU11-LogRetention": Mutation("au-11", "compute", "ApiLogs", _set(90, "RetentionInDays"),
                                      "API log group kept 90 days"),
    "PCS-CP9-BackupCadence": Mutation(
        "cp-9", "backup", "PlansPlan",
        _each(("BackupPlan", "BackupPlanRule"), "cron(0 4 ? * SUN *)", "ScheduleExpression"),
        "backups weekly only"),
    "PCS-SC8-LoadBalancerTLS": Mutation("sc-8", "origin", "ApiAlbProduction",
                                        _set("ELBSecurityPolicy-2016-08", "SslPolicy"),
                                        "ALB listener with a non-FIPS TLS 1.0 policy"),
    "PCS-SC8-CloudFrontTLS": Mutation(
        "sc-8", "edge", "CdnDistribution",
        _set("TLSv1", "DistributionConfig", "ViewerCertificate", "MinimumProtocolVersion"),
        "CloudFront accepts TLS 1.0 viewers"),
    "PCS-SC7-EgressInline": Mutation("sc-7", "network", "SecurityGroupsDatabase",
                                     _drop("SecurityGroupEgress"),
                                     "database group keeps EC2's allow-all egress"),
    "PCS-SC7-EgressRule": Mutation("sc-7", "network", "SecurityGroupsApiToS3",
                                   _set("0.0.0.0/0", "CidrIp"),
                                   "API may send to the whole internet"),
    "PCS-SC13-FipsContainers": Mutation("sc-13", "compute", "ApiTaskDefinition",
                                        _without_container_variable("AWS_USE_FIPS_ENDPOINT"),
                                        "API task without the FIPS switch"),
    "PCS-SC13-FipsFunctions": Mutation("sc-13", "identity", "UsersKeySetFunction",
                                       _drop("Environment", "Variables", "AWS_USE_FIPS_ENDPOINT"),
                                       "function without the FIPS switch"),
    "PCS-AC17-EcsExecOff": Mutation("ac-17", "compute", "ApiService",
                                    _set(True, "EnableExecuteCommand"),
                                    "ECS Exec left on for the API"),
    "PCS-SC12-KeyAdministration": Mutation("sc-12", "foundation", "KeysDatabase",
                                           _without_denies,
                                           "database key without the administration denies"),
    "PCS-AU9-LogDeliveryPinned": Mutation("au-9", "foundation", "LogsPolicy",
                                          _unpinned_log_delivery,
                                          "CloudTrail's grant without source ARN and account"),
    "PCS-IA2-UserPoolMfa": Mutation("ia-2", "identity", "UsersPool", _drop("MfaConfiguration"),
                                    "user pool without required MFA"),
}  # fmt: skip


def test_every_rule_of_the_registry_has_a_mutation_and_nothing_else_does():
    assert set(MUTATIONS) == {rule.id for rule in RULES}
    for rule in RULES:
        assert MUTATIONS[rule.id].control in rule.controls, rule.id


# The release path's checks read the bootstrap policies and the workflow, not a template; each is
# mutated in tests/evidence/test_release_path.py.
RELEASE_PATH_CHECKS = {
    "PCS-AC5-ReleaseGuardrails",
    "PCS-AC6-ReleasePolicyByResource",
    "PCS-CM5-ReleaseGate",
}
# The origin boundary check reads several stacks at once: tests/evidence/test_origin.py mutates it.
ORIGIN_CHECKS = {origin.CHECK}


def test_every_check_that_sets_a_status_for_the_project_has_a_mutation(package_dir: Path):
    checks = {
        row["check"] for row in read_csv(package_dir / "observations.csv") if row["source"] == "pcs"
    }
    assert checks == set(MUTATIONS) | RELEASE_PATH_CHECKS | ORIGIN_CHECKS


def test_the_compliance_guide_lists_every_mutation():
    text = (ROOT / "docs" / "compliance.md").read_text()
    rows = set(re.findall(r"^\| ([A-Z]+-\d+) \| `(PCS-[\w-]+)` \| (.+) \(`pcs-prod-([\w-]+)`\) \|$",
                          text, re.MULTILINE))  # fmt: skip
    assert rows == {(m.control.upper(), rule, m.removed, m.stack) for rule, m in MUTATIONS.items()}


@pytest.fixture(scope="module")
def kept(package_dir: Path) -> list[Observation]:
    return _kept_observations(package_dir)


@pytest.mark.parametrize(
    "rule", sorted(MUTATIONS), ids=[f"{MUTATIONS[r].control}:{r}" for r in sorted(MUTATIONS)]
)
def test_removing_the_mechanism_turns_its_control_away_from_implemented(rule, assembly_copy, kept):
    mutation = MUTATIONS[rule]
    rule_type = next(r.resource_type for r in RULES if r.id == rule)
    template_path = assembly_copy / f"pcs-prod-{mutation.stack}.template.json"
    template = json.loads(template_path.read_text())
    # The resource changed: the rule's resource named by its logical id prefix, or the first of
    # a type the rule reads beside it.
    logical_id = next(
        lid
        for lid, resource in sorted(template["Resources"].items())
        if (lid.startswith(mutation.target) and resource["Type"] == rule_type)
        or resource["Type"] == mutation.target
    )
    committed_at = of_repository(ROOT).committed_at
    before_rules = rule_observations(read_assembly(assembly_copy))
    before = statuses(kept + before_rules, committed_at)

    mutation.change(template["Resources"], logical_id)
    template_path.write_text(json.dumps(template))
    mutated = rule_observations(read_assembly(assembly_copy))
    after = statuses(kept + mutated, committed_at)

    baseline = set(moderate())
    for control in (c for c in next(r for r in RULES if r.id == rule).controls if c in baseline):
        assert before[control].status != PARTIAL, (control, before[control].remark)
        assert after[control].status == PARTIAL, (control, after[control].remark)
    assert after[mutation.control].status != IMPLEMENTED
    # The failing case is this rule's, in the changed stack, and it was not failing before.
    failing = {(o.check, o.stack) for o in mutated if o.result == "fail"}
    assert (rule, f"pcs-prod-{mutation.stack}") in failing, mutation.removed
    assert not [o for o in before_rules if o.check == rule and o.result == "fail"]


def test_every_project_rule_names_moderate_controls_and_a_runtime_pairing_or_none():
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    baseline = set(moderate())
    assert all(set(rule.controls) <= baseline for rule in RULES)
    pack = {rule.config_rule for rule in RULES} - {""}
    # Names of AWS Config rules in AWS's NIST 800-53 Rev 5 conformance pack.
    assert pack == {
        "guardduty-enabled-centralized",
        "securityhub-enabled",
        "vpc-flow-logs-enabled",
        "vpc-default-security-group-closed",
        "s3-bucket-server-side-encryption-enabled",
    }


def test_the_entrys_tcp_group_counts_as_tls_only_through_to_an_https_listener(
    package_dir: Path, assembly_copy: Path
):
    # The origin entry's target group is TCP: TLS passes through it to the ALB's listener.
    entry = "EntryNlbHttpsAlbGroup3739EF35"
    found = [
        (o.stack, o.result, json.loads(o.value))
        for o in read_observations(package_dir)
        if o.check == "PCS-SC8-TargetGroupTLS" and o.logical_id == entry
    ]
    passed = {"HealthCheckProtocol": "HTTPS", "Protocol": "TCP",
              "TLS passed through to": "ApiAlb37BD42AF HTTPS 443"}  # fmt: skip
    assert found == [("pcs-prod-dr-origin", "pass", passed), ("pcs-prod-origin", "pass", passed)]

    path = assembly_copy / "pcs-prod-dr-origin.template.json"
    template = json.loads(path.read_text())
    listener = template["Resources"]["ApiAlbProductionA9523A87"]["Properties"]
    listener["Protocol"] = "HTTP"
    del listener["SslPolicy"], listener["Certificates"]
    path.write_text(json.dumps(template))
    failing = [
        (o.stack, json.loads(o.value)["TLS passed through to"])
        for o in rule_observations(read_assembly(assembly_copy))
        if o.check == "PCS-SC8-TargetGroupTLS" and o.result == "fail"
    ]
    assert failing == [("pcs-prod-dr-origin", "no HTTPS listener")]
