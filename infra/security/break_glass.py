"""The break-glass role of one ECS service: turn ECS Exec on, open a shell, turn it off.

Where an environment keeps ECS Exec off (``compute.ecs_exec``), a shell in a task is an
exception: a named person, with a fresh MFA code, assumes this role for at most an hour; the role
may change only its own service and open sessions only in that service's tasks. The procedure is
in docs/runbook.md ("Break glass: a shell in a task").
"""

from __future__ import annotations

from aws_cdk import Duration, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from infra.compute.task import nag_arn
from infra.gate.nag import acknowledge

SESSION = Duration.hours(1)
MFA_MAX_AGE_SECONDS = 900  # the MFA code was entered in the last 15 minutes


def _accounts(principals: tuple[str, ...]) -> list[str]:
    """The accounts of IAM principal ARNs (``arn:aws:iam::<account>:...``), in order."""
    return list(dict.fromkeys(arn.split(":")[4] for arn in principals))


def mfa_trust(principals: tuple[str, ...]) -> iam.IPrincipal:
    """Only ``principals`` (ARN patterns), and only with MFA entered within 15 minutes.

    The principal is their accounts with an ``aws:PrincipalArn`` condition, so the trust policy
    stays valid while a named user or role does not exist yet (IAM rejects unknown principals).
    """
    return iam.CompositePrincipal(
        *(iam.AccountPrincipal(account) for account in _accounts(principals))
    ).with_conditions(
        {
            "ArnLike": {"aws:PrincipalArn": list(principals)},
            "Bool": {"aws:MultiFactorAuthPresent": "true"},
            "NumericLessThanEquals": {"aws:MultiFactorAuthAge": str(MFA_MAX_AGE_SECONDS)},
        }
    )


class ExecBreakGlassRole(Construct):
    """``role_name``: assumable by ``principals`` with MFA for an hour; ECS Exec on one service.

    It may describe and update ``service_name`` (``--enable-execute-command`` and back, with
    ``--force-new-deployment``), list and describe the cluster's tasks, open ECS Exec sessions in
    the tasks ECS tags as that service's (``aws:ecs:serviceName``, a tag only ECS writes), and
    encrypt the session with the ``exec_key`` (ECS Exec requires the caller to).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        role_name: str,
        cluster_name: str,
        service_name: str,
        exec_key: kms.IKey,
        principals: tuple[str, ...],
    ) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)

        def ecs_arn(resource: str, name: str) -> str:
            return stack.format_arn(service="ecs", resource=resource, resource_name=name)

        cluster = ecs_arn("cluster", cluster_name)
        service = ecs_arn("service", f"{cluster_name}/{service_name}")
        tasks = ecs_arn("task", f"{cluster_name}/*")
        self.role = iam.Role(
            self,
            "Role",
            role_name=role_name,
            description=f"Break glass: ECS Exec on {service_name} (MFA, 1 h; docs/runbook.md)",
            max_session_duration=SESSION,
            assumed_by=mfa_trust(principals),
        )
        for statement in (
            iam.PolicyStatement(
                sid="TurnExecOnAndOffForThisService",
                actions=["ecs:DescribeServices", "ecs:UpdateService"],
                resources=[service],
            ),
            iam.PolicyStatement(
                sid="FindTheServicesTasks",
                actions=["ecs:ListTasks", "ecs:DescribeTasks"],
                resources=["*"],
                conditions={"ArnEquals": {"ecs:cluster": cluster}},
            ),
            iam.PolicyStatement(
                sid="ExecuteCommandInTheCluster",
                actions=["ecs:ExecuteCommand"],
                resources=[cluster],
            ),
            iam.PolicyStatement(
                sid="ExecuteCommandInThisServicesTasksOnly",
                actions=["ecs:ExecuteCommand"],
                resources=[tasks],
                conditions={"StringEquals": {"aws:ResourceTag/aws:ecs:serviceName": service_name}},
            ),
        ):
            self.role.add_to_policy(statement)
        exec_key.grant(self.role, "kms:GenerateDataKey")
        acknowledge(
            self.role,
            "ecs:ListTasks and ecs:DescribeTasks are conditioned on ecs:cluster = the platform "
            "cluster; ExecuteCommand on tasks is limited to those ECS tags as this one service's. "
            "The role is assumable only with MFA (entered within 15 minutes) for one hour, and "
            "its policy is its own.",
            "AwsSolutions-IAM5[Resource::*]",
            f"AwsSolutions-IAM5[Resource::{nag_arn(tasks)}]",
            "NIST.800.53.R5-IAMNoInlinePolicy",
        )
