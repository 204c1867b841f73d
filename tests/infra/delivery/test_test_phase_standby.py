"""A release reaching the pilot-light DR region: the API service there is at 0 tasks (issue 20).

ECS runs the blue/green lifecycle for that service too, test-phase hook included. With no green
task, the test listener has no target, the ALB answers 503, and a smoke test would answer
``FAILED``: ECS rolls the DR deployment back and the release fails in its last stack. The hook
reads the service's desired count first (ECS ``DescribeServices``, Stubber here) and passes a
service at rest without probing; a serving DR API (after ``scale-dr --to up``) is smoke-tested
as the primary's is.
"""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from infra.delivery.hooks.test_phase import Answer, SmokePlan, judge_deployment
from tests.infra.conftest import resources

SERVICE_ARN = "arn:aws:ecs:us-west-2:111111111111:service/pcs-prod-cluster/pcs-prod-api"
EVENT = {
    "executionId": "e8d5a28f-eb01-4f3c-9454-a30ba6dc54bc",
    "lifecycleStage": "POST_TEST_TRAFFIC_SHIFT",
    "resourceArn": (
        "arn:aws:ecs:us-west-2:111111111111:service-deployment/pcs-prod-cluster/pcs-prod-api/x"
    ),
    "executionDetails": {
        "serviceArn": SERVICE_ARN,
        "targetServiceRevisionArn": (
            "arn:aws:ecs:us-west-2:111111111111:service-revision/pcs-prod-cluster/pcs-prod-api/1"
        ),
        "testTrafficWeights": {},
        "productionTrafficWeights": {},
    },
}
PLAN = SmokePlan(
    base_url="https://origin.pcs.example.com:9443",
    ready_path="/health/ready",
    duration_seconds=300,
    interval_seconds=30,
    token_secret="pcs-prod/smoketesttoken",
)


def _ecs(desired: int) -> tuple[object, Stubber]:
    client = boto3.client(
        "ecs", region_name="us-west-2", aws_access_key_id="x", aws_secret_access_key="x"
    )
    stubber = Stubber(client)
    stubber.add_response(
        "describe_services",
        {
            "services": [
                {
                    "serviceArn": SERVICE_ARN,
                    "serviceName": "pcs-prod-api",
                    "desiredCount": desired,
                    "runningCount": 0,
                }
            ],
            "failures": [],
        },
        {"cluster": "pcs-prod-cluster", "services": [SERVICE_ARN]},
    )
    stubber.activate()
    return client, stubber


def _no_green(method: str, url: str, **_: object) -> Answer:
    """The test listener with no registered target: the ALB's own 503."""
    sent.append((method, url))
    return Answer(503)


sent: list[tuple[str, str]] = []


@pytest.fixture(autouse=True)
def _fresh() -> None:
    sent.clear()


def test_a_release_to_the_dr_api_at_0_tasks_passes_without_a_probe_or_a_token() -> None:
    ecs, stubber = _ecs(desired=0)

    def no_token(_: str) -> str:
        raise AssertionError("a service at rest needs no smoke-test token")

    status = judge_deployment(EVENT, PLAN, ecs=ecs, read_token=no_token, send=_no_green)
    assert status == "SUCCEEDED"
    assert sent == []  # nothing probed: no green task to probe
    stubber.assert_no_pending_responses()


def test_a_serving_dr_api_is_smoke_tested_and_a_green_without_targets_fails() -> None:
    ecs, stubber = _ecs(desired=2)
    status = judge_deployment(
        EVENT, PLAN, ecs=ecs, read_token=lambda _: "pcs_token", send=_no_green
    )
    assert status == "FAILED"
    assert sent == [("GET", "https://origin.pcs.example.com:9443/health/ready")]
    stubber.assert_no_pending_responses()


def test_each_dr_hook_may_read_its_own_dr_service_only(prod) -> None:
    statements = [
        statement
        for policy in resources(prod, "dr-compute", "AWS::IAM::Policy").values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if statement.get("Sid") == "ReadTheServicesDesiredCount"
    ]
    assert {statement["Action"] for statement in statements} == {"ecs:DescribeServices"}
    assert sorted(s["Resource"]["Fn::Join"][1][-1] for s in statements) == [
        f":ecs:us-west-2:111111111111:service/pcs-prod-cluster/pcs-prod-{role}"
        for role in ("api", "web")
    ]
