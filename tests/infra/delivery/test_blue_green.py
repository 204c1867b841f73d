"""The API's ECS-native blue/green release (spec §4.1)."""

from __future__ import annotations

import json

from tests.infra.compute.helpers import service
from tests.infra.conftest import resources


def _deployment(result) -> dict:
    return service(result, "api")["DeploymentConfiguration"]


def _hook_function(result) -> dict:
    (hook,) = _deployment(result)["LifecycleHooks"]
    functions = resources(result, "compute", "AWS::Lambda::Function")
    return functions[hook["HookTargetArn"]["Fn::GetAtt"][0]]["Properties"]


def test_old_tasks_stay_15_minutes_after_production_traffic_moves(prod):
    assert _deployment(prod)["BakeTimeInMinutes"] == prod.config.delivery.bake_minutes == 15


def test_release_rolls_back_on_the_green_error_rate_and_the_5xx_alarm(prod):
    alarms = _deployment(prod)["Alarms"]
    green, spec = alarms["AlarmNames"]
    assert (alarms["Enable"], alarms["Rollback"]) == (True, True)
    assert ("ApiGreenErrorsAlarm" in green["Ref"], "Api5xxAlarm" in spec["Ref"]) == (True, True)


def test_release_rolls_back_when_new_tasks_fail(prod):
    assert _deployment(prod)["DeploymentCircuitBreaker"] == {"Enable": True, "Rollback": True}


def test_green_gets_the_alternate_target_group_behind_both_listener_rules(prod):
    (balancer,) = service(prod, "api")["LoadBalancers"]
    advanced = balancer["AdvancedConfiguration"]
    assert "ApiGreen" in advanced["AlternateTargetGroupArn"]["Fn::ImportValue"]
    assert "ApiProductionRule" in advanced["ProductionListenerRule"]["Fn::ImportValue"]
    assert "ApiTestRule" in advanced["TestListenerRule"]["Fn::ImportValue"]


def test_test_phase_hook_runs_after_test_traffic_moves_to_green(prod):
    (hook,) = _deployment(prod)["LifecycleHooks"]
    assert hook["LifecycleStages"] == ["POST_TEST_TRAFFIC_SHIFT"]


def test_test_phase_lasts_5_minutes(prod):
    environment = _hook_function(prod)["Environment"]["Variables"]
    assert environment["TEST_PHASE_SECONDS"] == "300"
    assert prod.config.delivery.test_traffic_minutes == 5


def test_hook_function_outlives_the_test_phase(prod):
    function = _hook_function(prod)
    assert function["Timeout"] > int(function["Environment"]["Variables"]["TEST_PHASE_SECONDS"])


def test_hook_smoke_tests_green_through_the_test_listener(prod):
    edge = prod.config.edge
    environment = _hook_function(prod)["Environment"]["Variables"]
    assert environment["TEST_BASE_URL"] == (
        f"https://{edge.origin_subdomain}.{edge.domain_name}:8443"
    )
    assert (environment["READY_PATH"], environment["PROBE_INTERVAL_SECONDS"]) == (
        "/health/ready",
        "15",
    )


def test_hook_signs_in_with_the_smoke_test_tenants_token_from_secrets_manager(prod):
    secret = _hook_function(prod)["Environment"]["Variables"]["SMOKE_TOKEN_SECRET"]
    assert "SmokeTestToken" in secret["Fn::ImportValue"]
    statements = [
        statement
        for policy in resources(prod, "compute", "AWS::IAM::Policy").values()
        if "TestPhaseRole" in json.dumps(policy["Properties"]["Roles"])
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]
    reads = [s for s in statements if "secretsmanager:GetSecretValue" in s["Action"]]
    assert [s["Resource"] for s in reads] == [secret]


def test_hook_function_runs_in_the_vpc_as_a_test_client(prod):
    (group,) = _hook_function(prod)["VpcConfig"]["SecurityGroupIds"]
    assert "TestClients" in group["Fn::ImportValue"]


def test_traffic_role_changes_only_the_api_rules_and_target_groups(prod):
    roles = {
        r["Properties"]["RoleName"]: logical_id
        for logical_id, r in resources(prod, "compute", "AWS::IAM::Role").items()
        if "RoleName" in r["Properties"]
    }
    logical_id = roles[f"{prod.config.prefix}-api-bluegreen"]
    (policy,) = [
        p["Properties"]["PolicyDocument"]["Statement"]
        for p in resources(prod, "compute", "AWS::IAM::Policy").values()
        if {"Ref": logical_id} in p["Properties"]["Roles"]
    ]
    writes = [s for s in policy if s.get("Sid") != "ReadLoadBalancerState"]
    assert all(s["Resource"] != "*" for s in writes)
    assert (
        "ManagedPolicyArns"
        not in resources(prod, "compute", "AWS::IAM::Role")[logical_id]["Properties"]
    )


def test_a_canary_share_of_production_moves_first_then_the_rest_after_its_wait(prod):
    deployment = _deployment(prod)
    assert deployment["Strategy"] == "CANARY"
    assert deployment["CanaryConfiguration"] == {
        "CanaryPercent": 10,
        "CanaryBakeTimeInMinutes": 10,
    }
    delivery = prod.config.delivery
    assert (delivery.canary_percent, delivery.canary_minutes) == (10, 10)
