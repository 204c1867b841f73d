"""The Celery worker (spec §2.3) and Celery Beat."""

from __future__ import annotations

from tests.infra.compute.helpers import container, scalable_target, scaling_policy, service
from tests.infra.compute.helpers import task_definition as task


def test_worker_task_has_half_a_vcpu_and_1_gb(prod):
    assert (task(prod, "worker")["Cpu"], task(prod, "worker")["Memory"]) == ("512", "1024")


def test_worker_runs_celery_with_concurrency_4(prod):
    assert container(prod, "worker")["Command"] == [
        "celery", "-A", "pcs", "worker", "-l", "info", "-c", "4"
    ]  # fmt: skip


def test_worker_runs_on_x86_64_because_fargate_spot_runs_no_arm64(prod):
    assert task(prod, "worker")["RuntimePlatform"]["CpuArchitecture"] == "X86_64"


def test_worker_runs_the_releases_amd64_image(prod):
    image = container(prod, "worker")["Image"]["Fn::Join"][1][-1]
    assert image == f":{prod.config.delivery.image_tag}-amd64"


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


def test_worker_autoscaling_tracks_average_cpu(prod):
    tracking = scaling_policy(prod, "worker")["TargetTrackingScalingPolicyConfiguration"]
    metric = tracking["PredefinedMetricSpecification"]["PredefinedMetricType"]
    assert metric == "ECSServiceAverageCPUUtilization"
    assert tracking["TargetValue"] == prod.config.compute.worker_cpu_target_percent


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
