"""Moto-backed AWS for the DR commands: the prod cluster, its secret and a hosted zone.

Moto has no AWS Backup recovery-point API, so the backup client is a real boto3 client wrapped
in botocore's Stubber (the ``backup_stub`` fixture); RDS, Secrets Manager and Route 53 are moto.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from botocore.exceptions import EndpointConnectionError
from botocore.stub import Stubber
from click.testing import CliRunner, Result
from moto import mock_aws

from ops.dr.cli import cli

PRIMARY, DR = "us-east-1", "us-west-2"
CLUSTER = "pcs-prod-cluster"
SOURCE = "pcs-prod-aurora"
SECRET = "pcs-prod/database/master"
DR_VAULT = "pcs-prod-dr-backup-vault"
SOURCE_ARN = "arn:aws:rds:us-east-1:111111111111:cluster:pcs-prod-aurora"
ZONE_NAME = "pcs.example.com"
RECORD = f"db.{ZONE_NAME}"  # the DNS name point-app switches to the restored cluster
ORIGINAL_SECRET = {
    "username": "pcs_admin",
    "password": "generated-by-secrets-manager",
    "engine": "postgres",
    "host": "pcs-prod-aurora.cluster-original.us-east-1.rds.amazonaws.com",
    "port": 5432,
    "dbname": "pcs",
    "dbClusterIdentifier": SOURCE,
}


@dataclass
class Aws:
    """Clients on the mocked account, and a runner that injects them into the CLI."""

    backup: Any
    stub: Stubber

    def client(self, service: str, region: str) -> Any:
        return self.backup if service == "backup" else boto3.client(service, region_name=region)

    def run(self, *args: str, answer: str | None = None) -> Result:
        return CliRunner().invoke(
            cli, list(args), obj={"clients": self.client}, input=answer, catch_exceptions=False
        )

    def clusters(self, region: str = PRIMARY) -> list[str]:
        found = boto3.client("rds", region_name=region).describe_db_clusters()["DBClusters"]
        return sorted(c["DBClusterIdentifier"] for c in found)

    def cluster(self, name: str, region: str = PRIMARY) -> dict:
        rds = boto3.client("rds", region_name=region)
        return rds.describe_db_clusters(DBClusterIdentifier=name)["DBClusters"][0]

    def secret(self) -> dict:
        secrets = boto3.client("secretsmanager", region_name=PRIMARY)
        return json.loads(secrets.get_secret_value(SecretId=SECRET)["SecretString"])

    def zone_id(self) -> str:
        zones = boto3.client("route53", region_name=PRIMARY).list_hosted_zones()["HostedZones"]
        return zones[0]["Id"].rsplit("/", 1)[-1]

    def record(self, name: str) -> list[dict]:
        route53 = boto3.client("route53", region_name=PRIMARY)
        records = route53.list_resource_record_sets(HostedZoneId=self.zone_id())
        return [r for r in records["ResourceRecordSets"] if r["Name"].rstrip(".") == name]

    def snapshot_in_dr(self, name: str) -> str:
        """A cluster snapshot in the DR region standing for an AWS Backup copy; its ARN."""
        rds = boto3.client("rds", region_name=DR)
        if "copied-source" not in self.clusters(DR):
            rds.create_db_cluster(
                DBClusterIdentifier="copied-source",
                Engine="aurora-postgresql",
                MasterUsername="pcs_admin",
                MasterUserPassword="not-a-real-password",
                StorageEncrypted=True,
            )
        snapshot = rds.create_db_cluster_snapshot(
            DBClusterIdentifier="copied-source", DBClusterSnapshotIdentifier=name
        )
        return snapshot["DBClusterSnapshot"]["DBClusterSnapshotArn"]


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Aws]:
    """The prod cluster (with a writer), its credentials secret and the public hosted zone."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": PRIMARY,
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        rds = boto3.client("rds", region_name=PRIMARY)
        rds.create_db_cluster(
            DBClusterIdentifier=SOURCE,
            Engine="aurora-postgresql",
            EngineVersion="17.6",
            MasterUsername="pcs_admin",
            MasterUserPassword="not-a-real-password",
            StorageEncrypted=True,
            BackupRetentionPeriod=35,
            DeletionProtection=True,
            ServerlessV2ScalingConfiguration={"MinCapacity": 0.5, "MaxCapacity": 32},
        )
        rds.create_db_instance(
            DBInstanceIdentifier=f"{SOURCE}-writer",
            DBClusterIdentifier=SOURCE,
            Engine="aurora-postgresql",
            DBInstanceClass="db.serverless",
        )
        boto3.client("secretsmanager", region_name=PRIMARY).create_secret(
            Name=SECRET, SecretString=json.dumps(ORIGINAL_SECRET)
        )
        boto3.client("route53", region_name=PRIMARY).create_hosted_zone(
            Name=ZONE_NAME, CallerReference="dr-tests"
        )
        backup = boto3.client("backup", region_name=DR)
        with Stubber(backup) as stub:
            yield Aws(backup=backup, stub=stub)


def recovery_point(arn: str, *, hours_ago: int, status: str = "COMPLETED") -> dict:
    """One entry of ListRecoveryPointsByBackupVault as AWS returns it."""
    return {
        "RecoveryPointArn": arn,
        "BackupVaultName": DR_VAULT,
        "ResourceArn": SOURCE_ARN,
        "ResourceType": "Aurora",
        "Status": status,
        "CreationDate": datetime.now(UTC) - timedelta(hours=hours_ago),
    }


SERVICES = {"pcs-prod-api": 2, "pcs-prod-worker": 2, "pcs-prod-beat": 1}
SCALED = {"pcs-prod-api": (2, 20), "pcs-prod-worker": (1, 10)}


@pytest.fixture
def services(aws: Aws) -> tuple[Any, Any]:
    """The prod ECS services at their prod counts, API and worker under auto scaling."""
    topology(PRIMARY, SERVICES, SCALED)
    return (
        boto3.client("ecs", region_name=PRIMARY),
        boto3.client("application-autoscaling", region_name=PRIMARY),
    )


def desired_counts(ecs: Any) -> dict[str, int]:
    """Desired task count of each prod service."""
    found = ecs.describe_services(cluster=CLUSTER, services=list(SERVICES))["services"]
    return {s["serviceName"]: s["desiredCount"] for s in found}


def point_app(aws: Aws, *extra: str, answer: str | None = None) -> Result:
    """``point-app`` from the cluster restored as ``pcs-prod-restored`` to :data:`RECORD`."""
    return aws.run(
        "point-app",
        "--cluster",
        "pcs-prod-restored",
        "--hosted-zone-id",
        aws.zone_id(),
        "--record-name",
        RECORD,
        *extra,
        answer=answer,
    )


def cut_off(client: Any, region: str, calls: list[str]) -> Any:
    """Make ``client`` (asked for in ``region``) behave as one whose region is down: every call
    is logged in ``calls`` as ``region:Operation`` and fails as botocore fails when no endpoint
    answers."""

    def refuse(model, **_kwargs) -> None:
        calls.append(f"{region}:{model.name}")
        raise EndpointConnectionError(endpoint_url=client.meta.endpoint_url)

    client.meta.events.register("before-call", refuse)
    return client


# Region moves: ECS and Application Auto Scaling in both regions are moto; RDS's global-database
# calls and CloudWatch (moto does not evaluate alarms) are Stubbers. Every AWS call is logged in
# order, with the endpoint it was sent to.
GLOBAL = "pcs-prod-global"
PRIMARY_ARN = "arn:aws:rds:us-east-1:111111111111:cluster:pcs-prod-aurora"
SECONDARY_ARN = "arn:aws:rds:us-west-2:111111111111:cluster:pcs-prod-aurora-secondary"
# prod at 100k: the four services the DR region's ComputeStack also runs (at 0 until scaled)
PROD_COUNTS = {"pcs-prod-api": 2, "pcs-prod-worker": 2, "pcs-prod-beat": 1, "pcs-prod-web": 2}
REGION_SCALED = {"pcs-prod-api": (2, 20), "pcs-prod-worker": (1, 10), "pcs-prod-web": (2, 10)}
WRITERS = [name for name in PROD_COUNTS if name != "pcs-prod-web"]  # the web has no database
SWITCH_ALARM = "pcs-prod-primary-serves"


@dataclass
class Rehearsal:
    """The clients of both regions, the call log and the stubs of what moto lacks."""

    calls: list[tuple[str, str, dict]] = field(default_factory=list)
    endpoints: list[str] = field(default_factory=list)  # each call's endpoint, in call order
    clients: dict[tuple[str, str], Any] = field(default_factory=dict)
    stubs: dict[str, Stubber] = field(default_factory=dict)
    down: set[str] = field(default_factory=set)  # regions whose endpoints do not answer
    unanswered: list[str] = field(default_factory=list)  # region:Operation sent to them
    slept: list[float] = field(default_factory=list)  # the commands' waits, never really slept

    def client(self, service: str, region: str) -> Any:
        key = (service, region)
        if key not in self.clients:
            client = boto3.client(service, region_name=region)
            client.meta.events.register("before-parameter-build", self._logger(region, client))
            if region in self.down:
                cut_off(client, region, self.unanswered)
            elif service in ("rds", "cloudwatch", "cognito-idp"):
                self.stubs[f"{service}:{region}"] = Stubber(client)
                self.stubs[f"{service}:{region}"].activate()
            self.clients[key] = client
        return self.clients[key]

    def stub(self, service: str, region: str) -> Stubber:
        self.client(service, region)
        return self.stubs[f"{service}:{region}"]

    def _logger(self, region: str, client: Any):
        def log(params, model, **_kwargs) -> None:
            self.calls.append((region, model.name, dict(params)))
            self.endpoints.append(client.meta.endpoint_url)

        return log

    def run(self, *args: str):
        return CliRunner().invoke(
            cli,
            ["--deployment", "prod", *args, "--yes"],
            obj={"clients": self.client, "sleep": self.slept.append},
            catch_exceptions=False,
        )

    def index(self, region: str, operation: str, **params: Any) -> list[int]:
        return [
            i
            for i, (r, op, p) in enumerate(self.calls)
            if r == region and op == operation and all(p.get(k) == v for k, v in params.items())
        ]

    def desired(self, region: str) -> dict[str, int]:
        ecs = boto3.client("ecs", region_name=region)
        found = ecs.describe_services(cluster=CLUSTER, services=list(PROD_COUNTS))["services"]
        return {s["serviceName"]: s["desiredCount"] for s in found}

    def suspended(self, region: str) -> dict[str, bool]:
        scaling = boto3.client("application-autoscaling", region_name=region)
        ids = [f"service/{CLUSTER}/{name}" for name in REGION_SCALED]
        found = scaling.describe_scalable_targets(ServiceNamespace="ecs", ResourceIds=ids)
        return {
            t["ResourceId"].rsplit("/", 1)[-1]: t["SuspendedState"]["DynamicScalingOutSuspended"]
            for t in found["ScalableTargets"]
        }


def topology(
    region: str,
    counts: dict[str, int],
    scaled: dict[str, tuple[int, int]] | None = None,
) -> None:
    """The prod ECS services in ``region`` at ``counts``, those of ``scaled`` (default: the
    region commands' :data:`REGION_SCALED`) under auto scaling, suspended where at 0 tasks."""
    ecs = boto3.client("ecs", region_name=region)
    ecs.create_cluster(clusterName=CLUSTER)
    ecs.register_task_definition(
        family="pcs-prod", containerDefinitions=[{"name": "app", "image": "pcs:1", "memory": 512}]
    )
    for name, desired in counts.items():
        ecs.create_service(
            cluster=CLUSTER, serviceName=name, taskDefinition="pcs-prod", desiredCount=desired
        )
    scaling = boto3.client("application-autoscaling", region_name=region)
    for name, (low, high) in (REGION_SCALED if scaled is None else scaled).items():
        scaling.register_scalable_target(
            ServiceNamespace="ecs",
            ResourceId=f"service/{CLUSTER}/{name}",
            ScalableDimension="ecs:service:DesiredCount",
            MinCapacity=low if counts[name] else 0,
            MaxCapacity=high,
            SuspendedState={
                "DynamicScalingInSuspended": not counts[name],
                "DynamicScalingOutSuspended": not counts[name],
                "ScheduledScalingSuspended": not counts[name],
            },
        )


def global_cluster(writer: str, status: str = "available") -> dict:
    return {
        "GlobalClusters": [
            {
                "GlobalClusterIdentifier": GLOBAL,
                "Status": status,
                "GlobalClusterMembers": [
                    {"DBClusterArn": PRIMARY_ARN, "IsWriter": writer == PRIMARY_ARN},
                    {"DBClusterArn": SECONDARY_ARN, "IsWriter": writer == SECONDARY_ARN},
                ],
            }
        ]
    }


def expect_switch(r: Rehearsal, value: float, states: list[str]) -> None:
    """The traffic switch in the DR region: ``value`` written to its metric, then its alarm
    read once for each of ``states``."""
    cloudwatch = r.stub("cloudwatch", DR)
    metric = {
        "MetricName": "PrimaryServes",
        "Dimensions": [{"Name": "Deployment", "Value": "pcs-prod"}],
        "Value": value,
    }
    cloudwatch.add_response(
        "put_metric_data", {}, {"Namespace": "PCS/Traffic", "MetricData": [metric]}
    )
    for state in states:
        cloudwatch.add_response(
            "describe_alarms",
            {"MetricAlarms": [{"AlarmName": SWITCH_ALARM, "StateValue": state}]},
            {"AlarmNames": [SWITCH_ALARM]},
        )


@pytest.fixture
def rehearsal(monkeypatch: pytest.MonkeyPatch) -> Iterator[Rehearsal]:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": PRIMARY,
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        topology(PRIMARY, PROD_COUNTS)
        topology(DR, dict.fromkeys(PROD_COUNTS, 0))  # pilot light: same services at 0
        yield Rehearsal()
