"""Per-service IAM roles: an execution role (start the task) and a task role (what the app does).

The two are never merged (STYLE.md "swapped roles"): the execution role pulls the image, writes
the log stream and reads the service's secrets; the task role has only the application's grants.
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from constructs import Construct

from infra.names import PlatformNames

_ECS_TASKS = "ecs-tasks.amazonaws.com"


@dataclass(frozen=True)
class ServiceRoles:
    """The two roles of one ECS service."""

    execution: iam.Role
    task: iam.Role


def service_roles(scope: Construct, *, names: PlatformNames, service: str) -> ServiceRoles:
    """Both roles of ``service``, assumable only by ECS tasks of this account (confused deputy)."""
    account = Stack.of(scope).account

    def role(kind: str, description: str) -> iam.Role:
        return iam.Role(
            scope,
            f"{kind.title()}Role",
            role_name=names.role(service, kind),
            description=description,
            assumed_by=iam.ServicePrincipal(_ECS_TASKS).with_conditions(
                {"StringEquals": {"aws:SourceAccount": account}}
            ),
        )

    return ServiceRoles(
        execution=role("execution", f"{service}: pull the image, write logs, read its secrets"),
        task=role("task", f"{service}: the application's own AWS access"),
    )
