"""Lookups into the compute stack's template shared by its tests."""

from __future__ import annotations

from tests.infra.conftest import resources


def _by_name(result, resource_type: str, name_key: str, suffix: str) -> dict:
    (match,) = [
        r["Properties"]
        for r in resources(result, "compute", resource_type).values()
        if r["Properties"].get(name_key) == f"{result.config.prefix}-{suffix}"
    ]
    return match


def service(result, name: str) -> dict:
    """The ``AWS::ECS::Service`` named ``<prefix>-<name>``."""
    return _by_name(result, "AWS::ECS::Service", "ServiceName", name)


def task_definition(result, name: str) -> dict:
    """The ``AWS::ECS::TaskDefinition`` of family ``<prefix>-<name>``."""
    return _by_name(result, "AWS::ECS::TaskDefinition", "Family", name)


def container(result, name: str) -> dict:
    """The one container of service ``name``."""
    (definition,) = task_definition(result, name)["ContainerDefinitions"]
    return definition


def role(result, name: str) -> dict:
    """The ``AWS::IAM::Role`` named ``<prefix>-<name>``."""
    return _by_name(result, "AWS::IAM::Role", "RoleName", name)


def role_statements(result, role_name: str) -> list[dict]:
    """Every statement of the policies attached to the role named ``<prefix>-<role_name>``."""
    logical_ids = [
        logical_id
        for logical_id, r in resources(result, "compute", "AWS::IAM::Role").items()
        if r["Properties"].get("RoleName") == f"{result.config.prefix}-{role_name}"
    ]
    return [
        statement
        for policy in resources(result, "compute", "AWS::IAM::Policy").values()
        if any(ref.get("Ref") in logical_ids for ref in policy["Properties"]["Roles"])
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]


def actions(statements: list[dict]) -> set[str]:
    """All actions the statements allow."""
    found: set[str] = set()
    for statement in statements:
        action = statement["Action"]
        found.update([action] if isinstance(action, str) else action)
    return found


def _targets(result, service_name: str) -> dict[str, dict]:
    # ResourceId is service/<cluster>/<service name>, the name a GetAtt of "<Name>Service...".
    marker = f"{service_name.title()}Service"
    return {
        logical_id: t["Properties"]
        for logical_id, t in resources(
            result, "compute", "AWS::ApplicationAutoScaling::ScalableTarget"
        ).items()
        if marker in str(t["Properties"]["ResourceId"])
    }


def scalable_target(result, service_name: str) -> dict:
    """The scalable target (task count) of service ``service_name``."""
    (target,) = _targets(result, service_name).values()
    return target


def scaling_policies(result, service_name: str) -> list[dict]:
    """The scaling policies of service ``service_name``."""
    targets = _targets(result, service_name)
    return [
        p["Properties"]
        for p in resources(result, "compute", "AWS::ApplicationAutoScaling::ScalingPolicy").values()
        if p["Properties"]["ScalingTargetId"]["Ref"] in targets
    ]


def scaling_policy(result, service_name: str) -> dict:
    """The one scaling policy of service ``service_name``."""
    (policy,) = scaling_policies(result, service_name)
    return policy
