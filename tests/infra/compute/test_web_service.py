"""The Next.js web service (issue 15): 2-10 tasks on CPU, its own image, read-only, rollbacks."""

from __future__ import annotations

from tests.infra.compute.helpers import container, scalable_target, scaling_policy, service
from tests.infra.compute.helpers import task_definition as task
from tests.infra.conftest import resources


def test_web_runs_2_to_10_tasks_starting_at_2(prod):
    target = scalable_target(prod, "web")
    assert (target["MinCapacity"], target["MaxCapacity"]) == (2, 10)
    assert service(prod, "web")["DesiredCount"] == 2


def test_web_scales_on_cpu_at_70_percent_like_the_api(prod):
    policy = scaling_policy(prod, "web")["TargetTrackingScalingPolicyConfiguration"]
    assert policy["PredefinedMetricSpecification"]["PredefinedMetricType"] == (
        "ECSServiceAverageCPUUtilization"
    )
    assert policy["TargetValue"] == 70


def test_web_runs_the_web_images_arm64_release_on_fargate(prod):
    assert task(prod, "web")["RuntimePlatform"]["CpuArchitecture"] == "ARM64"
    image = container(prod, "web")["Image"]["Fn::Join"][1]
    assert "WebRepository" in str(image) and image[-1] == f":{prod.config.delivery.image_tag}-arm64"
    assert "Command" not in container(prod, "web")  # the image's own server


def test_web_root_filesystem_is_read_only_but_for_the_next_cache_volume(prod):
    definition = container(prod, "web")
    assert definition["ReadonlyRootFilesystem"] is True
    assert definition["MountPoints"] == [
        {"ContainerPath": "/app/.next/cache", "ReadOnly": False, "SourceVolume": "next-cache"}
    ]


def test_web_listens_on_the_app_port_and_reads_the_pools_sign_in_settings(prod):
    definition = container(prod, "web")
    environment = {e["Name"]: e["Value"] for e in definition["Environment"]}
    assert [p["ContainerPort"] for p in definition["PortMappings"]] == [8000]
    assert environment["PORT"] == "8000"
    assert set(environment) == {
        "PORT",
        "OIDC_ISSUER",
        "OIDC_CLIENT_ID",
        "COGNITO_DOMAIN",
        "PCS_UPLOAD_ORIGINS",
        "AWS_USE_FIPS_ENDPOINT",
        "SERVE_TLS",
    }
    # The pages' CSP admits uploads to the documents bucket's S3 hosts and no other.
    assert environment["PCS_UPLOAD_ORIGINS"].split() == [
        "https://pcs-prod-documents-111111111111.s3.amazonaws.com",
        "https://pcs-prod-documents-111111111111.s3.us-east-1.amazonaws.com",
        "https://pcs-prod-documents-111111111111.s3-fips.us-east-1.amazonaws.com",
    ]
    assert environment["SERVE_TLS"] == "true"  # the entry point terminates TLS (HTTPS target)
    assert environment["COGNITO_DOMAIN"] == (
        "https://pcs-prod-111111111111.auth.us-east-1.amazoncognito.com"
    )
    assert "Secrets" not in definition


def test_web_container_checks_healthz(prod):
    check = container(prod, "web")["HealthCheck"]
    probe = check["Command"][-1]
    assert "require('https').get({host:'127.0.0.1',port:8000,path:'/healthz'" in probe


def test_web_releases_roll_back_on_the_green_error_rate_and_the_web_5xx_alarm(prod):
    deployment = service(prod, "web")["DeploymentConfiguration"]
    assert deployment["DeploymentCircuitBreaker"] == {"Enable": True, "Rollback": True}
    assert deployment["Alarms"]["Rollback"] is True
    alarms = resources(prod, "compute", "AWS::CloudWatch::Alarm")
    names = [
        alarms[ref["Ref"]]["Properties"]["AlarmName"] for ref in deployment["Alarms"]["AlarmNames"]
    ]
    assert names == ["pcs-prod-web-green-errors", "pcs-prod-web-5xx"]


def test_web_5xx_alarm_sums_target_5xx_of_both_web_target_groups(prod):
    from tests.infra.monitoring.helpers import alarm, queries, stat

    by_id = queries(alarm(prod, "compute", "web-5xx"))
    assert by_id["expr_1"]["Expression"] == "FILL(target5xx0, 0) + FILL(target5xx1, 0)"
    for index, group in enumerate(("ApiWebCB45A58C", "ApiWebGreen56A2A53C")):
        name, statistic, period, dimensions = stat(by_id[f"target5xx{index}"])
        assert (name, statistic, period) == ("HTTPCode_Target_5XX_Count", "Sum", 60)
        assert f"GetAtt{group}" in str(dimensions["TargetGroup"])


def test_web_allows_no_ecs_exec_and_sits_behind_the_web_target_group(prod):
    web = service(prod, "web")
    assert web["EnableExecuteCommand"] is False
    (balancer,) = web["LoadBalancers"]
    assert "RefApiWebCB45" in str(balancer["TargetGroupArn"])
    assert balancer["ContainerPort"] == 8000
