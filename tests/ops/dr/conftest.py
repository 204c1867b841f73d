"""Moto-backed AWS for the DR commands: the prod cluster, its secret and a hosted zone.

Moto has no AWS Backup recovery-point API, so the backup client is a real boto3 client wrapped
in botocore's Stubber (the ``backup_stub`` fixture); RDS, Secrets Manager and Route 53 are moto.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
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


CLUSTER = "pcs-prod-cluster"
SERVICES = {"pcs-prod-api": 2, "pcs-prod-worker": 2, "pcs-prod-beat": 1}
SCALED = {"pcs-prod-api": (2, 20), "pcs-prod-worker": (1, 10)}


@pytest.fixture
def services(aws: Aws) -> tuple[Any, Any]:
    """The prod ECS services at their prod counts, API and worker under auto scaling."""
    ecs = boto3.client("ecs", region_name=PRIMARY)
    ecs.create_cluster(clusterName=CLUSTER)
    ecs.register_task_definition(
        family="pcs-prod",
        containerDefinitions=[{"name": "app", "image": "pcs:test", "memory": 512}],
    )
    for name, desired in SERVICES.items():
        ecs.create_service(
            cluster=CLUSTER, serviceName=name, taskDefinition="pcs-prod", desiredCount=desired
        )
    autoscaling = boto3.client("application-autoscaling", region_name=PRIMARY)
    for name, (low, high) in SCALED.items():
        autoscaling.register_scalable_target(
            ServiceNamespace="ecs",
            ResourceId=f"service/{CLUSTER}/{name}",
            ScalableDimension="ecs:service:DesiredCount",
            MinCapacity=low,
            MaxCapacity=high,
        )
    return ecs, autoscaling


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
