"""Region rehearsal: failover to the DR region and failback, end to end through the CLI.

ECS and Application Auto Scaling in both regions are moto (the topology); the global-database
calls moto lacks (``failover_global_cluster``, ``switchover_global_cluster``) and CloudFront's
origin switch are botocore Stubbers. Every AWS call is logged in order, so the test asserts the
order that makes a region move safe, and the plan's expected durations total the RTO.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest
from botocore.stub import ANY, Stubber
from click.testing import CliRunner
from moto import mock_aws

from ops.dr.cli import cli

PRIMARY, DR = "us-east-1", "us-west-2"
CLUSTER = "pcs-prod-cluster"
GLOBAL = "pcs-prod-global"
PRIMARY_ARN = "arn:aws:rds:us-east-1:111111111111:cluster:pcs-prod-aurora"
SECONDARY_ARN = "arn:aws:rds:us-west-2:111111111111:cluster:pcs-prod-aurora-secondary"
# prod at 100k: the four services the DR region's ComputeStack also runs (at 0 until scaled)
PROD_COUNTS = {"pcs-prod-api": 2, "pcs-prod-worker": 2, "pcs-prod-beat": 1, "pcs-prod-web": 2}
SCALED = {"pcs-prod-api": (2, 20), "pcs-prod-worker": (1, 10), "pcs-prod-web": (2, 10)}
WRITERS = [name for name in PROD_COUNTS if name != "pcs-prod-web"]  # the web has no database
DISTRIBUTION = "E2EXAMPLE"


@dataclass
class Rehearsal:
    """The clients of both regions, the call log and the stubs of what moto lacks."""

    calls: list[tuple[str, str, dict]] = field(default_factory=list)
    clients: dict[tuple[str, str], Any] = field(default_factory=dict)
    stubs: dict[str, Stubber] = field(default_factory=dict)

    def client(self, service: str, region: str) -> Any:
        key = (service, region)
        if key not in self.clients:
            client = boto3.client(service, region_name=region)
            client.meta.events.register("before-parameter-build", self._logger(region))
            if service in ("rds", "cloudfront"):
                self.stubs[f"{service}:{region}"] = Stubber(client)
                self.stubs[f"{service}:{region}"].activate()
            self.clients[key] = client
        return self.clients[key]

    def stub(self, service: str, region: str) -> Stubber:
        self.client(service, region)
        return self.stubs[f"{service}:{region}"]

    def _logger(self, region: str):
        def log(params, model, **_kwargs) -> None:
            self.calls.append((region, model.name, dict(params)))

        return log

    def run(self, *args: str):
        return CliRunner().invoke(
            cli,
            ["--deployment", "prod", *args, "--yes"],
            obj={"clients": self.client},
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
        ids = [f"service/{CLUSTER}/{name}" for name in SCALED]
        found = scaling.describe_scalable_targets(ServiceNamespace="ecs", ResourceIds=ids)
        return {
            t["ResourceId"].rsplit("/", 1)[-1]: t["SuspendedState"]["DynamicScalingOutSuspended"]
            for t in found["ScalableTargets"]
        }


def _topology(region: str, counts: dict[str, int]) -> None:
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
    for name, (low, high) in SCALED.items():
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


def _global(writer: str, status: str = "available") -> dict:
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


def _distribution(origin: str) -> dict:
    return {
        "ETag": "E1",
        "DistributionConfig": {
            "CallerReference": "pcs-prod",
            "Comment": "",
            "Enabled": True,
            "Origins": {
                "Quantity": 2,
                "Items": [
                    {"Id": "pcs-prod-primary", "DomainName": "origin.app.pcs.example.com"},
                    {"Id": "pcs-prod-dr", "DomainName": "origin-dr.app.pcs.example.com"},
                ],
            },
            "DefaultCacheBehavior": {
                "TargetOriginId": origin,
                "ViewerProtocolPolicy": "https-only",
            },
        },
    }


@pytest.fixture
def rehearsal(monkeypatch: pytest.MonkeyPatch) -> Iterator[Rehearsal]:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": PRIMARY,
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        _topology(PRIMARY, PROD_COUNTS)
        _topology(DR, dict.fromkeys(PROD_COUNTS, 0))  # pilot light: same services at 0
        yield Rehearsal()


def _stub_failover(r: Rehearsal) -> None:
    rds = r.stub("rds", DR)
    rds.add_response(
        "describe_global_clusters", _global(PRIMARY_ARN), {"GlobalClusterIdentifier": GLOBAL}
    )
    rds.add_response(
        "describe_db_clusters",
        {
            "DBClusters": [
                {"DBClusterMembers": [{"DBInstanceIdentifier": "r1", "IsClusterWriter": False}]}
            ]
        },
        {"DBClusterIdentifier": "pcs-prod-aurora-secondary"},
    )
    rds.add_response(
        "failover_global_cluster",
        {},
        {
            "GlobalClusterIdentifier": GLOBAL,
            "TargetDbClusterIdentifier": SECONDARY_ARN,
            "AllowDataLoss": True,
        },
    )
    rds.add_response(
        "describe_global_clusters", _global(SECONDARY_ARN), {"GlobalClusterIdentifier": GLOBAL}
    )
    cloudfront = r.stub("cloudfront", PRIMARY)
    cloudfront.add_response(
        "get_distribution_config", _distribution("pcs-prod-primary"), {"Id": DISTRIBUTION}
    )
    cloudfront.add_response(
        "update_distribution",
        {},
        {"Id": DISTRIBUTION, "IfMatch": "E1", "DistributionConfig": ANY},
    )


def _stub_failback(r: Rehearsal) -> None:
    r.stub("rds", DR).add_response(
        "describe_global_clusters", _global(SECONDARY_ARN), {"GlobalClusterIdentifier": GLOBAL}
    )
    rds = r.stub("rds", PRIMARY)
    rds.add_response(
        "switchover_global_cluster",
        {},
        {"GlobalClusterIdentifier": GLOBAL, "TargetDbClusterIdentifier": PRIMARY_ARN},
    )
    rds.add_response(
        "describe_global_clusters", _global(PRIMARY_ARN), {"GlobalClusterIdentifier": GLOBAL}
    )
    cloudfront = r.stub("cloudfront", PRIMARY)
    cloudfront.add_response(
        "get_distribution_config", _distribution("pcs-prod-dr"), {"Id": DISTRIBUTION}
    )
    cloudfront.add_response(
        "update_distribution", {}, {"Id": DISTRIBUTION, "IfMatch": "E1", "DistributionConfig": ANY}
    )


def _expected_minutes(output: str) -> float:
    return float(re.search(r"expected total: ([\d.]+) min", output).group(1))


def test_failover_and_failback_rehearsal(rehearsal: Rehearsal):
    _stub_failover(rehearsal)
    failover = rehearsal.run("failover-region", "--distribution-id", DISTRIBUTION)
    print(failover.output)
    assert failover.exit_code == 0, failover.output

    # Writes fenced before the promotion: every primary writer at 0 before the failover call.
    promoted = rehearsal.index(DR, "FailoverGlobalCluster")[0]
    fenced = [
        rehearsal.index(PRIMARY, "UpdateService", service=name, desiredCount=0)[0]
        for name in WRITERS
    ]
    assert max(fenced) < promoted
    # Traffic switched only after the new writer is up and the DR services are scaled.
    writer_seen = rehearsal.index(DR, "DescribeGlobalClusters")[-1]
    scaled_dr = [
        rehearsal.index(DR, "UpdateService", service=name, desiredCount=count)[0]
        for name, count in PROD_COUNTS.items()
    ]
    switched = rehearsal.index(PRIMARY, "UpdateDistribution")[0]
    assert promoted < writer_seen < min(scaled_dr) and max(scaled_dr) < switched
    # Every behaviour to the DR region's ALB, the standby origin infra/edge/cloudfront.py adds.
    moved = rehearsal.calls[switched][2]["DistributionConfig"]
    assert moved["DefaultCacheBehavior"]["TargetOriginId"] == "pcs-prod-dr"
    assert rehearsal.desired(DR) == PROD_COUNTS
    # The old region's writers stay fenced; its web front end, which has no database, idles.
    assert rehearsal.desired(PRIMARY) == {**dict.fromkeys(WRITERS, 0), "pcs-prod-web": 2}
    rto = _expected_minutes(failover.output)
    assert rto <= 60

    _stub_failback(rehearsal)
    failback = rehearsal.run("failback-region", "--distribution-id", DISTRIBUTION)
    print(failback.output)
    assert failback.exit_code == 0, failback.output
    switched_back = rehearsal.index(PRIMARY, "UpdateDistribution")[-1]
    dr_fenced = [
        rehearsal.index(DR, "UpdateService", service=n, desiredCount=0)[0] for n in WRITERS
    ]
    switchover = rehearsal.index(PRIMARY, "SwitchoverGlobalCluster")[0]
    assert max(dr_fenced) < switchover < switched_back
    # Nothing left scaled in the DR region; the primary back at its counts, scaling resumed.
    assert rehearsal.desired(DR) == dict.fromkeys(PROD_COUNTS, 0)
    assert set(rehearsal.suspended(DR).values()) == {True}
    assert rehearsal.desired(PRIMARY) == PROD_COUNTS
    assert set(rehearsal.suspended(PRIMARY).values()) == {False}
    for stub in rehearsal.stubs.values():
        stub.assert_no_pending_responses()


def test_failover_refuses_when_the_dr_member_is_already_the_writer(rehearsal: Rehearsal):
    rehearsal.stub("rds", DR).add_response(
        "describe_global_clusters", _global(SECONDARY_ARN), {"GlobalClusterIdentifier": GLOBAL}
    )
    result = rehearsal.run(
        "failover-region", "--distribution-id", DISTRIBUTION, "--to-origin", "pcs-prod-dr"
    )
    assert result.exit_code == 2
    assert result.output.strip().startswith("error: global writer=")
    assert rehearsal.index(PRIMARY, "UpdateService") == []  # nothing changed


def test_dry_run_prints_the_steps_with_durations_and_changes_nothing(rehearsal: Rehearsal):
    rehearsal.stub("rds", DR).add_response(
        "describe_global_clusters", _global(PRIMARY_ARN), {"GlobalClusterIdentifier": GLOBAL}
    )
    result = CliRunner().invoke(
        cli,
        [
            "--deployment",
            "prod",
            "switchover-region",
            "--distribution-id",
            DISTRIBUTION,
            "--to-origin",
            "pcs-prod-dr",
            "--dry-run",
        ],
        obj={"clients": rehearsal.client},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert "switchover (RPO 0)" in result.output
    assert "dry run: nothing changed" in result.output
    assert rehearsal.desired(PRIMARY) == PROD_COUNTS
