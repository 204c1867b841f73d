"""The Django API service (spec §2.2)."""

from __future__ import annotations

from tests.infra.compute.helpers import container, scalable_target, scaling_policy, service
from tests.infra.compute.helpers import task_definition as task


def test_api_task_has_1_vcpu_and_2_gb(prod):
    assert (task(prod, "api")["Cpu"], task(prod, "api")["Memory"]) == ("1024", "2048")


def test_api_task_runs_on_arm64_graviton(prod):
    assert task(prod, "api")["RuntimePlatform"]["CpuArchitecture"] == "ARM64"


def test_api_runs_the_releases_arm64_image(prod):
    image = container(prod, "api")["Image"]["Fn::Join"][1][-1]
    assert image == f":{prod.config.delivery.image_tag}-arm64"


def test_api_container_listens_on_port_8000(prod):
    assert [p["ContainerPort"] for p in container(prod, "api")["PortMappings"]] == [8000]


def test_api_runs_its_start_script(prod):
    assert container(prod, "api")["Command"] == ["/app/bin/api"]


def test_api_uses_production_settings(prod):
    environment = {e["Name"]: e["Value"] for e in container(prod, "api")["Environment"]}
    assert environment["DJANGO_SETTINGS_MODULE"] == "pcs.settings.production"


def test_api_health_check_polls_health_every_30s_timeout_5s_3_retries_60s_start(prod):
    check = container(prod, "api")["HealthCheck"]
    # The image's Python check (no curl), 1 s inside the 5 s timeout; HTTPS since SERVE_TLS.
    assert check["Command"] == ["CMD", "/app/bin/healthcheck", "/health", "4"]
    assert (check["Interval"], check["Timeout"], check["Retries"], check["StartPeriod"]) == (
        30,
        5,
        3,
        60,
    )


def test_api_health_check_grace_period_is_60_seconds(prod):
    assert service(prod, "api")["HealthCheckGracePeriodSeconds"] == 60


def test_api_desired_count_is_2(prod):
    assert service(prod, "api")["DesiredCount"] == prod.config.compute.api.desired_count == 2


def test_api_uses_the_default_strategy_fargate_base_2_weight_100(prod):
    assert service(prod, "api")["CapacityProviderStrategy"] == [
        {"CapacityProvider": "FARGATE", "Base": 2, "Weight": 100}
    ]


def test_api_autoscaling_ranges_from_2_to_20_tasks(prod):
    target = scalable_target(prod, "api")
    assert (target["MinCapacity"], target["MaxCapacity"]) == (2, 20)


def test_api_autoscaling_tracks_70_percent_average_cpu(prod):
    tracking = scaling_policy(prod, "api")["TargetTrackingScalingPolicyConfiguration"]
    metric = tracking["PredefinedMetricSpecification"]["PredefinedMetricType"]
    assert (metric, tracking["TargetValue"]) == ("ECSServiceAverageCPUUtilization", 70)


def test_api_autoscaling_scales_in_after_300_seconds(prod):
    tracking = scaling_policy(prod, "api")["TargetTrackingScalingPolicyConfiguration"]
    assert tracking["ScaleInCooldown"] == 300


def test_api_autoscaling_scales_out_after_60_seconds(prod):
    tracking = scaling_policy(prod, "api")["TargetTrackingScalingPolicyConfiguration"]
    assert tracking["ScaleOutCooldown"] == 60


def test_api_logs_with_awslogs_to_its_own_encrypted_log_group(prod):
    logging = container(prod, "api")["LogConfiguration"]
    assert logging["LogDriver"] == "awslogs"
    assert logging["Options"]["awslogs-stream-prefix"] == "api"


def test_api_is_registered_in_the_blue_target_group_on_port_8000(prod):
    (balancer,) = service(prod, "api")["LoadBalancers"]
    assert (balancer["ContainerName"], balancer["ContainerPort"]) == ("django-api", 8000)
    assert "ApiBlue" in balancer["TargetGroupArn"]["Fn::ImportValue"]
