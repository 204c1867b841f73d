"""The pool-admin function: how the tasks reach the user pools' Admin* operations.

The tasks have no internet egress, and AWS PrivateLink is no way to Cognito here: a user pool
with a domain (ours has managed login's) accepts no request through an interface endpoint. So
each region runs this function outside its VPC, the only holder of the Admin* operations it
runs (``infra/identity/pool_admin/pool_operations.py``) on exactly the two pools (its region's
and the other region's), and the API and worker task roles may only invoke it, through the
VPC's Lambda interface endpoint
(docs/decisions/identity-member-invitations.md). The function's code:
``infra/identity/pool_admin/admin.py``.
"""

from __future__ import annotations

from pathlib import Path

from aws_cdk import Duration
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra.defaults.functions import (
    acknowledge_outside_vpc,
    function_log_and_role,
    platform_function,
    writes_its_log,
)
from infra.gate.nag import acknowledge
from infra.identity.pool_admin.pool_operations import ACTIONS
from infra.names import PlatformNames

_CODE = Path(__file__).resolve().parents[1] / "identity" / "pool_admin"


def pool_admin_statement(*pool_arns: str) -> iam.PolicyStatement:
    """The Admin* operations the service calls, on exactly ``pool_arns``."""
    return iam.PolicyStatement(
        sid="MembersOfThePlatformsPools", actions=list(ACTIONS), resources=list(pool_arns)
    )


class PoolAdmin(Construct):
    """Exposes :attr:`function`; ``callers`` (task roles) may invoke it, nothing else.

    ``home_pool_arn``/``home_pool_id``: the region's pool. ``standby_region``: where the other
    pool is, found there by ``names.user_pool`` (it may deploy after this function).
    ``standby_pool_arn``: that pool where it is known at synth (the DR region knows the
    primary's); the primary's function is granted the DR pool by the DR region's stack
    (:func:`grant_standby_pool`).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        names: PlatformNames,
        home_pool_id: str,
        home_pool_arn: str,
        standby_region: str,
        standby_pool_arn: str | None,
        logs_key: kms.IKey,
        log_retention_days: int,
        callers: tuple[iam.IRole, ...],
    ) -> None:
        super().__init__(scope, construct_id)
        log_group, role = function_log_and_role(
            self,
            description="Members of the platform's user pools: the Admin* operations they need",
            logs_key=logs_key,
            retention_days=log_retention_days,
            log_id="Log",
            role_name=names.pool_admin_role,
        )
        role.add_to_policy(writes_its_log(log_group))
        pools = (home_pool_arn, *((standby_pool_arn,) if standby_pool_arn else ()))
        role.add_to_policy(pool_admin_statement(*pools))
        role.add_to_policy(
            iam.PolicyStatement(
                sid="FindTheStandbyPool", actions=["cognito-idp:ListUserPools"], resources=["*"]
            )
        )
        acknowledge(
            role,
            "ListUserPools supports no resource-level permission and returns only pools' names "
            "and ids (no user): the function finds the other region's pool by its name with it, "
            "since that pool may deploy after this function. The Admin* grants name the pools.",
            "AwsSolutions-IAM5[Resource::*]",
        )
        acknowledge(
            role,
            "The policy is generated from this function's grants and belongs to this role alone.",
            "NIST.800.53.R5-IAMNoInlinePolicy",
        )
        self.function: lambda_.Function = platform_function(
            self,
            "Function",
            function_name=names.pool_admin_function,
            description="Invites, links, disables, enables and signs out members of both pools",
            handler="admin.handler",
            source=_CODE,
            # Two Cognito calls at most (the standby's lookup, then the operation), 2 s to
            # connect and 3 s to read each; the service waits 12 s for the answer.
            timeout=Duration.seconds(12),
            role=role,
            log_group=log_group,
            environment={
                "HOME_POOL_ID": home_pool_id,
                "STANDBY_REGION": standby_region,
                "POOL_NAME": names.user_pool,
            },
        )
        acknowledge_outside_vpc(
            self.function,
            "Cognito user pools with a domain accept no request through AWS PrivateLink, so the "
            "function runs outside the VPC (no VPC resource is reachable from it, its role has "
            "only the pools' Admin* operations); it answers its caller synchronously, which "
            "reports or retries a failure, so a dead-letter queue adds nothing; invitations are "
            "rare, so reserved concurrency would only consume account quota.",
        )
        # The function itself, unqualified (grant_invoke would add every version, `:*`).
        for caller in callers:
            caller.add_to_principal_policy(
                iam.PolicyStatement(
                    sid="InvokeThePoolAdminFunction",
                    actions=["lambda:InvokeFunction"],
                    resources=[self.function.function_arn],
                )
            )


def grant_standby_pool(scope: Construct, *, primary: PlatformNames, pool_arn: str) -> iam.Policy:
    """Grant the primary region's pool-admin function (by its role's name: IAM is global) the
    standby pool ``pool_arn``, from the DR region's stack that knows it."""
    policy = iam.Policy(
        scope,
        "PrimaryPoolAdminStandbyPool",
        roles=[iam.Role.from_role_name(scope, "PrimaryPoolAdminRole", primary.pool_admin_role)],
        statements=[pool_admin_statement(pool_arn)],
    )
    acknowledge(
        policy,
        "The DR pool exists only after the primary region deploys, so the DR region's stack "
        "adds this one statement to the primary function's role (by name: IAM is global); it "
        "holds the function's Admin* operations on the DR pool alone.",
        "NIST.800.53.R5-IAMNoInlinePolicy",
    )
    return policy
