"""The API's and the portal's ECS-native blue/green releases (spec §4.1, issue 25)."""

from __future__ import annotations

import json

import pytest

from tests.infra.compute.helpers import service
from tests.infra.conftest import resources

SERVICES = ("api", "web")
# The logical-id stem of each service's target groups and rules in the origin stack.
TARGETS = {
    "api": ("ApiGreen", "ApiProductionRule", "ApiTestRule"),
    "web": ("ApiWebGreen", "ApiProductionWebRule", "ApiTestWebRule"),
}


def _deployment(result, role: str) -> dict:
    return service(result, role)["DeploymentConfiguration"]


def _hook_function(result, role: str) -> dict:
    (hook,) = _deployment(result, role)["LifecycleHooks"]
    functions = resources(result, "compute", "AWS::Lambda::Function")
    return functions[hook["HookTargetArn"]["Fn::GetAtt"][0]]["Properties"]


def _hook_statements(result, role: str) -> list[dict]:
    (hook,) = _deployment(result, role)["LifecycleHooks"]
    function_id = hook["HookTargetArn"]["Fn::GetAtt"][0]
    function = resources(result, "compute", "AWS::Lambda::Function")[function_id]
    role_id = function["Properties"]["Role"]["Fn::GetAtt"][0]
    return [
        statement
        for policy in resources(result, "compute", "AWS::IAM::Policy").values()
        if {"Ref": role_id} in policy["Properties"]["Roles"]
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]


@pytest.mark.parametrize("role", SERVICES)
def test_old_tasks_stay_15_minutes_after_production_traffic_moves(prod, role):
    assert _deployment(prod, role)["BakeTimeInMinutes"] == prod.config.delivery.bake_minutes == 15


@pytest.mark.parametrize("role", SERVICES)
def test_release_rolls_back_on_the_green_error_rate_and_the_5xx_alarm(prod, role):
    alarms = _deployment(prod, role)["Alarms"]
    green, spec = alarms["AlarmNames"]
    assert (alarms["Enable"], alarms["Rollback"]) == (True, True)
    stem = role.title()
    assert (f"{stem}GreenErrorsAlarm" in green["Ref"], f"{stem}5xxAlarm" in spec["Ref"]) == (
        True,
        True,
    )


@pytest.mark.parametrize("role", SERVICES)
def test_release_rolls_back_when_new_tasks_fail(prod, role):
    assert _deployment(prod, role)["DeploymentCircuitBreaker"] == {
        "Enable": True,
        "Rollback": True,
    }


@pytest.mark.parametrize("role", SERVICES)
def test_green_gets_the_alternate_target_group_behind_both_listener_rules(prod, role):
    (balancer,) = service(prod, role)["LoadBalancers"]
    advanced = balancer["AdvancedConfiguration"]
    green, production, test = TARGETS[role]
    assert f"Ref{green}" in advanced["AlternateTargetGroupArn"]["Fn::ImportValue"]
    assert f"Ref{production}" in advanced["ProductionListenerRule"]["Fn::ImportValue"]
    assert f"Ref{test}" in advanced["TestListenerRule"]["Fn::ImportValue"]


@pytest.mark.parametrize("role", SERVICES)
def test_test_phase_hook_runs_after_test_traffic_moves_to_green(prod, role):
    (hook,) = _deployment(prod, role)["LifecycleHooks"]
    assert hook["LifecycleStages"] == ["POST_TEST_TRAFFIC_SHIFT"]
    assert _hook_function(prod, role)["FunctionName"] == f"pcs-prod-{role}-test-phase"


@pytest.mark.parametrize("role", SERVICES)
def test_test_phase_lasts_5_minutes(prod, role):
    environment = _hook_function(prod, role)["Environment"]["Variables"]
    assert environment["TEST_PHASE_SECONDS"] == "300"
    assert prod.config.delivery.test_traffic_minutes == 5


@pytest.mark.parametrize("role", SERVICES)
def test_hook_function_outlives_the_test_phase(prod, role):
    function = _hook_function(prod, role)
    assert function["Timeout"] > int(function["Environment"]["Variables"]["TEST_PHASE_SECONDS"])


@pytest.mark.parametrize(("role", "ready_path"), [("api", "/health/ready"), ("web", "/healthz")])
def test_hook_smoke_tests_green_through_the_test_listener(prod, role, ready_path):
    edge = prod.config.edge
    environment = _hook_function(prod, role)["Environment"]["Variables"]
    assert environment["TEST_BASE_URL"] == (
        f"https://{edge.origin_subdomain}.{edge.domain_name}:8443"
    )
    assert (environment["READY_PATH"], environment["PROBE_INTERVAL_SECONDS"]) == (
        ready_path,
        "15",
    )


def test_api_hook_signs_in_with_the_smoke_test_tenants_token_from_secrets_manager(prod):
    environment = _hook_function(prod, "api")["Environment"]["Variables"]
    secret = environment["SMOKE_TOKEN_SECRET"]
    assert "SmokeTestToken" in secret["Fn::ImportValue"]
    assert "PAGE_PATH" not in environment
    reads = [
        s for s in _hook_statements(prod, "api") if "secretsmanager:GetSecretValue" in s["Action"]
    ]
    assert [s["Resource"] for s in reads] == [secret]


def test_web_hook_renders_the_documents_page_and_reads_no_secret(prod):
    environment = _hook_function(prod, "web")["Environment"]["Variables"]
    assert (environment["PAGE_PATH"], environment["PAGE_MARKER"]) == (
        "/documents",
        "<title>PCS Platform</title>",
    )
    assert "SMOKE_TOKEN_SECRET" not in environment
    assert not [s for s in _hook_statements(prod, "web") if "secretsmanager" in json.dumps(s)]


@pytest.mark.parametrize("role", SERVICES)
def test_each_hook_reads_only_its_own_services_desired_count(prod, role):
    (statement,) = [
        s for s in _hook_statements(prod, role) if s.get("Sid") == "ReadTheServicesDesiredCount"
    ]
    assert statement["Action"] == "ecs:DescribeServices"
    resource = statement["Resource"]["Fn::Join"][1]
    assert resource[-1] == f":ecs:us-east-1:111111111111:service/pcs-prod-cluster/pcs-prod-{role}"


@pytest.mark.parametrize("role", SERVICES)
def test_hook_function_runs_in_the_vpc_as_a_test_client(prod, role):
    (group,) = _hook_function(prod, role)["VpcConfig"]["SecurityGroupIds"]
    assert "TestClients" in group["Fn::ImportValue"]


@pytest.mark.parametrize("role", SERVICES)
def test_traffic_role_changes_only_the_services_own_rules_and_target_groups(prod, role):
    roles = {
        r["Properties"]["RoleName"]: logical_id
        for logical_id, r in resources(prod, "compute", "AWS::IAM::Role").items()
        if "RoleName" in r["Properties"]
    }
    logical_id = roles[f"{prod.config.prefix}-{role}-bluegreen"]
    (policy,) = [
        p["Properties"]["PolicyDocument"]["Statement"]
        for p in resources(prod, "compute", "AWS::IAM::Policy").values()
        if {"Ref": logical_id} in p["Properties"]["Roles"]
    ]
    writes = {s["Sid"]: s for s in policy if s.get("Sid") != "ReadLoadBalancerState"}
    assert all(s["Resource"] != "*" for s in writes.values())
    green, production, test = TARGETS[role]
    rules = json.dumps(writes["ShiftTrafficOnTheServicesRules"]["Resource"])
    groups = json.dumps(writes["RegisterTasksInBlueAndGreen"]["Resource"])
    assert f"Ref{production}" in rules and f"Ref{test}" in rules
    assert f"Ref{green}" in groups
    other = TARGETS["web" if role == "api" else "api"]
    assert not any(f"Ref{stem}" in rules + groups for stem in other)
    assert (
        "ManagedPolicyArns"
        not in resources(prod, "compute", "AWS::IAM::Role")[logical_id]["Properties"]
    )


@pytest.mark.parametrize("role", SERVICES)
def test_a_canary_share_of_production_moves_first_then_the_rest_after_its_wait(prod, role):
    deployment = _deployment(prod, role)
    assert deployment["Strategy"] == "CANARY"
    assert deployment["CanaryConfiguration"] == {
        "CanaryPercent": 10,
        "CanaryBakeTimeInMinutes": 10,
    }
    delivery = prod.config.delivery
    assert (delivery.canary_percent, delivery.canary_minutes) == (10, 10)
