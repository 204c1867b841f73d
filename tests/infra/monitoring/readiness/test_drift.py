"""DR readiness checks against moto: a ready pair of regions, then one drift at a time.

Both regions hold the prod ECS services, the images in both registries, the replicated secrets
and the replication-lag metric (moto); the global-database and Cognito calls moto lacks here are
Stubbers. Each broken state is one the issue measured or a precondition the runbook relies on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from infra.config import load_config
from infra.monitoring.readiness import drift
from infra.monitoring.readiness.drift import Expected, Finding, check_all, handler
from ops.dr.targets import DrTargets

PRIMARY, DR = "us-east-1", "us-west-2"
ACCOUNT = "123456789012"
CLUSTER = "pcs-prod-cluster"
GLOBAL = "pcs-prod-global"
MANIFEST = {"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json"}
RELEASE = "4f1c2e9-arm64"


@pytest.fixture(scope="module")
def expected() -> Expected:
    return DrTargets.of(load_config("prod")).readiness


def _image(region: str, repository: str, tag: str) -> str:
    return f"{ACCOUNT}.dkr.ecr.{region}.amazonaws.com/{repository}:{tag}"


@dataclass
class Regions:
    """Both regions on moto, the stubbed clients, and the calls' clients as the check takes."""

    expected: Expected
    stubs: dict[str, Stubber] = field(default_factory=dict)
    clients: dict[tuple[str, str], Any] = field(default_factory=dict)
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def client(self, service: str, region: str) -> Any:
        key = (service, region)
        if key not in self.clients:
            self.clients[key] = boto3.client(service, region_name=region)
            if service in ("rds", "cognito-idp"):
                self.stubs[service] = Stubber(self.clients[key])
                self.stubs[service].activate()
        return self.clients[key]

    def push(self, region: str, repository: str, tag: str, layer: str = "a") -> None:
        ecr = boto3.client("ecr", region_name=region)
        if repository not in [
            r["repositoryName"] for r in ecr.describe_repositories()["repositories"]
        ]:
            ecr.create_repository(repositoryName=repository)
        ecr.put_image(
            repositoryName=repository,
            imageManifest=json.dumps({**MANIFEST, "layers": [{"digest": f"sha256:{layer * 64}"}]}),
            imageTag=tag,
        )

    def services(self, region: str, tag: str, secret_region: str | None = None) -> None:
        ecs = boto3.client("ecs", region_name=region)
        ecs.create_cluster(clusterName=CLUSTER)
        secrets = boto3.client("secretsmanager", region_name=PRIMARY)
        app_secret = secrets.describe_secret(SecretId="pcs-prod/database/app")["ARN"]
        secret_arn = app_secret.replace(f":{PRIMARY}:", f":{secret_region or region}:")
        for name in self.expected.services:
            repository = "pcs-prod/web" if name.endswith("-web") else "pcs-prod/app"
            definition = ecs.register_task_definition(
                family=name,
                containerDefinitions=[
                    {
                        "name": "app",
                        "image": _image(region, repository, tag),
                        "memory": 512,
                        "secrets": [
                            {"name": "DB_PASSWORD", "valueFrom": f"{secret_arn}:password::"}
                        ],
                    }
                ],
            )
            ecs.create_service(
                cluster=CLUSTER,
                serviceName=name,
                taskDefinition=definition["taskDefinition"]["taskDefinitionArn"],
                desiredCount=0,
            )

    def lag(self, milliseconds: float) -> None:
        boto3.client("cloudwatch", region_name=DR).put_metric_data(
            Namespace="AWS/RDS",
            MetricData=[
                {
                    "MetricName": "AuroraGlobalDBRPOLag",
                    "Dimensions": [
                        {"Name": "DBClusterIdentifier", "Value": self.expected.secondary_cluster}
                    ],
                    "Value": milliseconds,
                    "Timestamp": self.now - timedelta(minutes=1),
                }
            ],
        )

    def global_database(self, *, status: str = "available") -> None:
        arn = f"arn:aws:rds:{{}}:{ACCOUNT}:cluster:{{}}"
        self.client("rds", DR)
        self.stubs["rds"].add_response(
            "describe_global_clusters",
            {
                "GlobalClusters": [
                    {
                        "GlobalClusterIdentifier": GLOBAL,
                        "Status": status,
                        "GlobalClusterMembers": [
                            {
                                "DBClusterArn": arn.format(PRIMARY, "pcs-prod-aurora"),
                                "IsWriter": True,
                            },
                            {
                                "DBClusterArn": arn.format(DR, self.expected.secondary_cluster),
                                "IsWriter": False,
                            },
                        ],
                    }
                ]
            },
            {"GlobalClusterIdentifier": GLOBAL},
        )

    def user_pool(self, present: bool = True) -> None:
        self.client("cognito-idp", DR)
        pools = [{"Id": "us-west-2_Standby1", "Name": self.expected.user_pool}] if present else []
        self.stubs["cognito-idp"].add_response(
            "list_user_pools", {"UserPools": pools}, {"MaxResults": 60}
        )
        if present:
            self.stubs["cognito-idp"].add_response(
                "describe_user_pool",
                {"UserPool": {"Id": "us-west-2_Standby1", "Name": self.expected.user_pool}},
                {"UserPoolId": "us-west-2_Standby1"},
            )

    def switch(self, state: str = "OK") -> None:
        """The traffic switch's alarm as the edge defines it (one period below 1 is ALARM,
        missing data ignored), in ``state``."""
        cloudwatch = boto3.client("cloudwatch", region_name=DR)
        cloudwatch.put_metric_alarm(
            AlarmName=self.expected.traffic_switch_alarm,
            Namespace="PCS/Traffic",
            MetricName="PrimaryServes",
            Dimensions=[{"Name": "Deployment", "Value": "pcs-prod"}],
            Statistic="Minimum",
            Period=60,
            EvaluationPeriods=1,
            Threshold=1,
            ComparisonOperator="LessThanThreshold",
            TreatMissingData="ignore",
        )
        cloudwatch.set_alarm_state(
            AlarmName=self.expected.traffic_switch_alarm, StateValue=state, StateReason="test"
        )

    def check(self) -> list[Finding]:
        findings = check_all(self.client, self.expected, self.now)
        for stub in self.stubs.values():
            stub.assert_no_pending_responses()
        return findings


@pytest.fixture
def regions(monkeypatch: pytest.MonkeyPatch, expected: Expected) -> Iterator[Regions]:
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        boto3.client("secretsmanager", region_name=PRIMARY).create_secret(
            Name="pcs-prod/database/app",
            SecretString="{}",
            AddReplicaRegions=[{"Region": DR}],
        )
        yield Regions(expected)


def _ready(regions: Regions, *, dr_tag: str = RELEASE, lag_ms: float = 800) -> None:
    for region in (PRIMARY, DR):
        for repository in ("pcs-prod/app", "pcs-prod/web"):
            regions.push(region, repository, RELEASE)
    regions.services(PRIMARY, RELEASE)
    regions.services(DR, dr_tag)
    regions.lag(lag_ms)
    regions.global_database()
    regions.user_pool()
    regions.switch()


def _drifted(findings: list[Finding]) -> list[str]:
    return [str(f) for f in findings if not f.ok]


def test_a_ready_dr_region_has_no_drift(regions: Regions):
    _ready(regions)
    findings = regions.check()
    assert _drifted(findings) == []
    assert [f.check for f in findings] == [
        "pcs-prod-api task definition",
        "pcs-prod-api image",
        "pcs-prod-beat task definition",
        "pcs-prod-beat image",
        "pcs-prod-web task definition",
        "pcs-prod-web image",
        "pcs-prod-worker task definition",
        "pcs-prod-worker image",
        "secret pcs-prod/database/app-" + findings[8].check.rsplit("-", 1)[-1],
        "global database",
        "replication lag",
        "standby user pool",
        "traffic switch",
    ]
    assert str(findings[10]) == "ok    replication lag: at most 800 ms in 10 min (RPO 60 s)"
    assert (
        str(findings[12]) == "ok    traffic switch: pcs-prod-primary-serves OK (the primary serves)"
    )


@pytest.mark.parametrize(
    ("state", "detail"),
    [
        ("ALARM", "pcs-prod-primary-serves ALARM (traffic is on the DR region)"),
        (
            "INSUFFICIENT_DATA",
            "pcs-prod-primary-serves INSUFFICIENT_DATA: no value read; write the primary's with "
            "move-traffic --to primary",
        ),
    ],
)
def test_a_traffic_switch_not_reading_ok_is_drift(regions: Regions, state, detail):
    _ready(regions)
    regions.switch(state)
    assert _drifted(regions.check()) == [f"DRIFT traffic switch: {detail}"]


def test_the_unreleased_dr_image_the_issue_measured_is_drift(regions: Regions):
    _ready(regions, dr_tag="unreleased-arm64")
    drifted = _drifted(regions.check())
    print("\n".join(drifted))
    unreleased = _image(DR, "pcs-prod/app", "unreleased-arm64")
    assert (
        f"DRIFT pcs-prod-api image: {unreleased}: ImageNotFoundException: The image with "
        f"imageId {{imageDigest:'null', imageTag:'unreleased-arm64'}} does not exist within "
        f"the repository with name 'pcs-prod/app' in the registry with id '{ACCOUNT}'"
    ) in drifted
    assert (
        "DRIFT pcs-prod-api task definition: runs ['dkr.ecr.us-west-2.amazonaws.com/" not in drifted
    )
    assert len(drifted) == 8  # each of the 4 services: its task definition and its image


def test_a_dr_image_with_another_digest_than_the_primary_is_drift(regions: Regions):
    _ready(regions)
    regions.push(DR, "pcs-prod/web", RELEASE, layer="b")  # the tag moved in one region only
    drifted = _drifted(regions.check())
    assert len(drifted) == 1
    assert drifted[0].startswith(
        f"DRIFT pcs-prod-web image: {_image(DR, 'pcs-prod/web', RELEASE)} is sha256:"
    )
    assert drifted[0].endswith(f"in {PRIMARY}")


def test_a_dr_task_reading_a_primary_region_secret_is_drift(regions: Regions):
    for region in (PRIMARY, DR):
        for repository in ("pcs-prod/app", "pcs-prod/web"):
            regions.push(region, repository, RELEASE)
    regions.services(PRIMARY, RELEASE)
    regions.services(DR, RELEASE, secret_region=PRIMARY)
    regions.lag(800)
    regions.global_database()
    regions.user_pool()
    regions.switch()
    (drifted,) = _drifted(regions.check())
    assert drifted.startswith("DRIFT secret pcs-prod/database/app-")
    assert f"read from another region: arn:aws:secretsmanager:{PRIMARY}:" in drifted


def test_replication_lag_over_the_rpo_is_drift(regions: Regions):
    _ready(regions, lag_ms=90_000)
    assert _drifted(regions.check()) == [
        "DRIFT replication lag: at most 90000 ms in 10 min (RPO 60 s)"
    ]


def test_no_replication_lag_data_is_drift(regions: Regions):
    for region in (PRIMARY, DR):
        for repository in ("pcs-prod/app", "pcs-prod/web"):
            regions.push(region, repository, RELEASE)
    regions.services(PRIMARY, RELEASE)
    regions.services(DR, RELEASE)
    regions.global_database(status="modifying")
    regions.user_pool(present=False)
    assert _drifted(regions.check()) == [
        "DRIFT global database: pcs-prod-global modifying; pcs-prod-aurora-secondary a secondary",
        "DRIFT replication lag: no data in 10 min",
        "DRIFT standby user pool: no pcs-prod-users in us-west-2",
        "DRIFT traffic switch: no alarm pcs-prod-primary-serves in us-west-2",
    ]


def test_the_function_reads_the_environment_the_construct_sets(expected: Expected):
    assert Expected.from_environment(expected.environment()) == expected
    assert expected.environment()["DR_SERVICES"] == (
        "pcs-prod-api,pcs-prod-worker,pcs-prod-beat,pcs-prod-web"
    )
    assert replace(expected, rpo_seconds=20).environment()["DR_RPO_SECONDS"] == "20"
    assert expected.environment()["DR_TRAFFIC_SWITCH_ALARM"] == "pcs-prod-primary-serves"


def test_the_function_publishes_the_drifted_count(regions: Regions, monkeypatch, expected):
    for name, value in expected.environment().items():
        monkeypatch.setenv(name, value)
    regions.user_pool(present=False)
    real = boto3.client

    def client(service: str, region_name: str, **options: Any) -> Any:
        if service == "cognito-idp":  # moto's Cognito needs a library this suite lacks
            return regions.client(service, region_name)
        return real(service, region_name=region_name, **options)

    monkeypatch.setattr(drift.boto3, "client", client)
    # Nothing deployed: every check reports drift, and the function still publishes.
    assert handler({}, None) == {"checks": 5, "drifted": 5}  # one per check
    cloudwatch = boto3.client("cloudwatch", region_name=DR)
    metrics = cloudwatch.list_metrics(Namespace="PCS/DrReadiness")["Metrics"]
    assert [m["MetricName"] for m in metrics] == ["DriftedChecks"]
