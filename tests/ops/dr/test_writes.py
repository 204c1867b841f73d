"""stop-writes / resume-writes: every writer to the database stopped, then given back."""

from __future__ import annotations

import boto3
import pytest

from tests.ops.dr.conftest import PRIMARY

CLUSTER = "pcs-prod-cluster"
SERVICES = {"pcs-prod-api": 2, "pcs-prod-worker": 2, "pcs-prod-beat": 1}
SCALED = {"pcs-prod-api": (2, 20), "pcs-prod-worker": (1, 10)}


@pytest.fixture
def services(aws):
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


def _desired(ecs) -> dict[str, int]:
    found = ecs.describe_services(cluster=CLUSTER, services=list(SERVICES))["services"]
    return {s["serviceName"]: s["desiredCount"] for s in found}


def _targets(autoscaling) -> dict[str, dict]:
    found = autoscaling.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"]
    return {t["ResourceId"].rsplit("/", 1)[-1]: t for t in found}


def test_stop_writes_sets_every_service_to_zero_tasks(aws, services):
    ecs, _ = services
    result = aws.run("stop-writes", "--yes")
    assert result.exit_code == 0, result.output
    assert _desired(ecs) == dict.fromkeys(SERVICES, 0)


def test_stop_writes_suspends_scaling_so_its_minimum_cannot_restart_tasks(aws, services):
    _, autoscaling = services
    aws.run("stop-writes", "--yes")
    for name, target in _targets(autoscaling).items():
        assert target["MinCapacity"] == 0
        assert target["MaxCapacity"] == SCALED[name][1]
        assert target["SuspendedState"]["DynamicScalingOutSuspended"] is True


def test_stop_writes_dry_run_changes_nothing(aws, services):
    ecs, autoscaling = services
    result = aws.run("stop-writes", "--dry-run")
    assert result.exit_code == 0
    assert "pcs-prod-api: desired 2 -> 0 in pcs-prod-cluster" in result.stdout
    assert _desired(ecs) == SERVICES
    assert {n: t["MinCapacity"] for n, t in _targets(autoscaling).items()} == {
        n: low for n, (low, _) in SCALED.items()
    }


def test_declining_stop_writes_changes_nothing(aws, services):
    ecs, _ = services
    result = aws.run("stop-writes", answer="n\n")
    assert result.exit_code == 1
    assert _desired(ecs) == SERVICES


def test_resume_writes_restores_configured_counts_and_scaling(aws, services):
    ecs, autoscaling = services
    aws.run("stop-writes", "--yes")
    result = aws.run("resume-writes", "--yes")
    assert result.exit_code == 0, result.output
    assert _desired(ecs) == SERVICES
    for name, target in _targets(autoscaling).items():
        assert (target["MinCapacity"], target["MaxCapacity"]) == SCALED[name]
        assert target["SuspendedState"]["DynamicScalingInSuspended"] is False


def test_missing_service_is_refused_and_nothing_stops(aws, services):
    ecs, _ = services
    ecs.delete_service(cluster=CLUSTER, service="pcs-prod-beat", force=True)
    result = aws.run("stop-writes", "--yes")
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: ECS service=pcs-prod-beat is not allowed; allowed: services of")
    assert _desired(ecs)["pcs-prod-api"] == 2


def test_missing_cluster_is_refused(aws):
    result = aws.run("stop-writes", "--yes")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ECS cluster=pcs-prod-cluster is not allowed")
