"""The Celery worker (spec §2.3) and Celery Beat."""

from __future__ import annotations

import pytest

from tests.infra.compute.helpers import (
    actions,
    container,
    role_statements,
    scalable_target,
    scaling_policies,
    service,
)
from tests.infra.compute.helpers import task_definition as task
from tests.infra.conftest import resources


def test_worker_task_has_half_a_vcpu_and_1_gb(prod):
    assert (task(prod, "worker")["Cpu"], task(prod, "worker")["Memory"]) == ("512", "1024")


def test_worker_runs_bin_worker_with_concurrency_4(prod):
    assert container(prod, "worker")["Command"] == ["/app/bin/worker"]
    variables = {e["Name"]: e["Value"] for e in container(prod, "worker")["Environment"]}
    assert variables["CELERY_CONCURRENCY"] == "4"


def test_worker_runs_on_arm64_with_its_spot_share(prod):
    assert task(prod, "worker")["RuntimePlatform"]["CpuArchitecture"] == "ARM64"


def test_worker_runs_the_releases_arm64_image(prod):
    image = container(prod, "worker")["Image"]["Fn::Join"][1][-1]
    assert image == f":{prod.config.delivery.image_tag}-arm64"


def test_worker_strategy_is_spot_weight_80_and_fargate_weight_20_base_1(prod):
    strategy = {
        s["CapacityProvider"]: (s["Weight"], s["Base"])
        for s in service(prod, "worker")["CapacityProviderStrategy"]
    }
    assert strategy == {"FARGATE_SPOT": (80, 0), "FARGATE": (20, 1)}


def test_worker_stop_timeout_is_120_seconds_to_drain_on_spot_interruption(prod):
    assert container(prod, "worker")["StopTimeout"] == 120


def test_worker_receives_the_kafka_bootstrap_secret(prod):
    names = {s["Name"] for s in container(prod, "worker")["Secrets"]}
    assert "KAFKA_BOOTSTRAP_SERVERS" in names


def test_worker_autoscaling_ranges_from_1_to_10_tasks(prod):
    target = scalable_target(prod, "worker")
    assert (target["MinCapacity"], target["MaxCapacity"]) == (1, 10)


def _worker_tracking(result, kind: str) -> dict:
    (tracking,) = [
        p["TargetTrackingScalingPolicyConfiguration"]
        for p in scaling_policies(result, "worker")
        if kind in p["TargetTrackingScalingPolicyConfiguration"]
    ]
    return tracking


def test_worker_has_two_target_tracking_policies_backlog_and_cpu(prod):
    policies = scaling_policies(prod, "worker")
    assert [p["PolicyType"] for p in policies] == ["TargetTrackingScaling"] * 2


def test_worker_autoscaling_tracks_average_cpu(prod):
    tracking = _worker_tracking(prod, "PredefinedMetricSpecification")
    metric = tracking["PredefinedMetricSpecification"]["PredefinedMetricType"]
    assert metric == "ECSServiceAverageCPUUtilization"
    assert tracking["TargetValue"] == prod.config.compute.worker_cpu_target_percent


def test_worker_autoscaling_tracks_20_messages_waiting_per_task(prod):
    tracking = _worker_tracking(prod, "CustomizedMetricSpecification")
    assert tracking["TargetValue"] == 20
    assert tracking["TargetValue"] == prod.config.compute.worker_backlog_per_task_target
    assert (tracking["ScaleInCooldown"], tracking["ScaleOutCooldown"]) == (300, 60)


def test_backlog_per_task_is_queue_depth_over_running_tasks(prod):
    metrics = _worker_tracking(prod, "CustomizedMetricSpecification")[
        "CustomizedMetricSpecification"
    ]["Metrics"]
    by_id = {m["Id"]: m for m in metrics}
    assert [m["Id"] for m in metrics if m["ReturnData"]] == ["backlog_per_task"]
    assert by_id["backlog_per_task"]["Expression"] == "depth / running"
    depth = by_id["depth"]["MetricStat"]
    assert (depth["Metric"]["Namespace"], depth["Metric"]["MetricName"]) == (
        "PCS/Celery",
        "QueueDepth",
    )
    assert [d["Name"] for d in depth["Metric"]["Dimensions"]] == ["Service"]
    running = by_id["running"]["MetricStat"]["Metric"]
    assert (running["Namespace"], running["MetricName"]) == (
        "ECS/ContainerInsights",
        "RunningTaskCount",
    )
    assert [d["Name"] for d in running["Dimensions"]] == ["ClusterName", "ServiceName"]


def test_backlog_metric_names_the_worker_service_the_worker_publishes_for(prod):
    depth = _worker_tracking(prod, "CustomizedMetricSpecification")[
        "CustomizedMetricSpecification"
    ]["Metrics"][0]["MetricStat"]["Metric"]
    (dimension,) = depth["Dimensions"]
    (logical_id, _name) = dimension["Value"]["Fn::GetAtt"]
    services = resources(prod, "compute", "AWS::ECS::Service")
    assert services[logical_id]["Properties"]["ServiceName"] == "pcs-prod-worker"


def _put_metric_statements(result, role_name: str) -> list[dict]:
    return [
        s for s in role_statements(result, role_name) if "cloudwatch:PutMetricData" in actions([s])
    ]


def test_beat_may_put_metrics_only_in_the_celery_namespace(prod):
    """Beat publishes the worker's queue metrics (issue 25: not the worker it measures)."""
    (statement,) = _put_metric_statements(prod, "beat-task")
    assert statement["Action"] == "cloudwatch:PutMetricData"
    assert statement["Condition"] == {"StringEquals": {"cloudwatch:namespace": "PCS/Celery"}}


@pytest.mark.parametrize("role_name", ["api-task", "worker-task", "migrate-task"])
def test_no_other_task_may_put_metrics(prod, role_name):
    assert _put_metric_statements(prod, role_name) == []


def test_worker_has_no_kafka_secret_in_the_10k_tier_without_kafka(dev):
    names = {s["Name"] for s in container(dev, "worker")["Secrets"]}
    assert dev.config.kafka.enabled is False
    assert "KAFKA_BOOTSTRAP_SERVERS" not in names


def test_beat_runs_exactly_one_task(prod):
    assert service(prod, "beat")["DesiredCount"] == 1


def test_beat_runs_on_fargate_not_spot(prod):
    providers = {s["CapacityProvider"] for s in service(prod, "beat")["CapacityProviderStrategy"]}
    assert providers == {"FARGATE"}


def test_beat_deployment_never_runs_two_schedulers_max_100_min_healthy_0(prod):
    deployment = service(prod, "beat")["DeploymentConfiguration"]
    assert (deployment["MaximumPercent"], deployment["MinimumHealthyPercent"]) == (100, 0)


def test_beat_runs_the_beat_start_script(prod):
    assert container(prod, "beat")["Command"] == ["/app/bin/beat"]


def test_beat_is_not_autoscaled(prod):
    from tests.infra.conftest import resources

    targets = resources(prod, "compute", "AWS::ApplicationAutoScaling::ScalableTarget")
    assert not any("BeatService" in str(t["Properties"]["ResourceId"]) for t in targets.values())


def test_beat_runs_on_arm64_graviton(prod):
    assert task(prod, "beat")["RuntimePlatform"]["CpuArchitecture"] == "ARM64"
