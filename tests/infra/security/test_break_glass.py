"""The break-glass roles: ECS Exec on one service, only with fresh MFA, for at most an hour."""

from __future__ import annotations

import pytest

from tests.infra.compute.helpers import role, role_statements

SERVICES = ("api", "worker", "beat")


def _break_glass(result, name: str) -> dict:
    return role(result, f"{name}-break-glass")


@pytest.mark.parametrize("name", SERVICES)
def test_only_the_deployment_files_principals_with_fresh_mfa_may_assume_it(prod, name):
    (statement,) = _break_glass(prod, name)["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Action"] == "sts:AssumeRole"
    assert statement["Condition"] == {
        "ArnLike": {"aws:PrincipalArn": list(prod.config.deployment.break_glass_principals)},
        "Bool": {"aws:MultiFactorAuthPresent": "true"},
        "NumericLessThanEquals": {"aws:MultiFactorAuthAge": "900"},
    }


@pytest.mark.parametrize("name", SERVICES)
def test_a_session_lasts_at_most_an_hour(prod, name):
    assert _break_glass(prod, name)["MaxSessionDuration"] == 3600


def _arns(statement: dict) -> list[str]:
    resources = statement["Resource"]
    return [
        "".join(str(part) for part in r["Fn::Join"][1]) if isinstance(r, dict) else r
        for r in (resources if isinstance(resources, list) else [resources])
    ]


@pytest.mark.parametrize("name", SERVICES)
def test_it_may_update_only_its_own_service(prod, name):
    statements = role_statements(prod, f"{name}-break-glass")
    (update,) = [s for s in statements if "ecs:UpdateService" in s["Action"]]
    names = prod.config.names
    (arn,) = _arns(update)
    assert arn.endswith(f":service/{names.ecs_cluster}/{names.service(name)}")


@pytest.mark.parametrize("name", SERVICES)
def test_it_may_open_sessions_only_in_its_services_tasks(prod, name):
    statements = role_statements(prod, f"{name}-break-glass")
    (in_tasks,) = [s for s in statements if s.get("Sid") == "ExecuteCommandInThisServicesTasksOnly"]
    assert in_tasks["Condition"] == {
        "StringEquals": {"aws:ResourceTag/aws:ecs:serviceName": prod.config.names.service(name)}
    }
    executing = [s for s in statements if "ecs:ExecuteCommand" in s["Action"]]
    assert all(not arn.endswith("/*") or s is in_tasks for s in executing for arn in _arns(s))


def test_no_break_glass_role_where_exec_is_on(dev):
    assert dev.config.compute.ecs_exec is True
    with pytest.raises(ValueError):
        _break_glass(dev, "api")
