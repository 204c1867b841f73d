"""Customer-managed KMS keys: one per data domain, rotated yearly, retained on stack deletion."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct


def domain_key(
    scope: Construct,
    construct_id: str,
    *,
    alias: str,
    description: str,
    service_principals: tuple[str, ...] = (),
) -> kms.Key:
    """A rotated customer-managed key for one data domain (SC-12, SC-28).

    The default key policy delegates to IAM in this account; services that encrypt on the
    platform's behalf (``logs.<region>.amazonaws.com``, ``delivery.logs.amazonaws.com``…) get
    only the data-key actions, and only when the call comes from this account.
    """
    key = kms.Key(
        scope,
        construct_id,
        alias=alias,
        description=description,
        enable_key_rotation=True,
        rotation_period=Duration.days(365),
        pending_window=Duration.days(30),
        removal_policy=RemovalPolicy.RETAIN,
    )
    for principal in service_principals:
        key.add_to_resource_policy(
            iam.PolicyStatement(
                sid=f"Allow{principal.split('.')[0].title()}DataKeys",
                principals=[iam.ServicePrincipal(principal)],
                actions=[
                    "kms:Encrypt*",
                    "kms:Decrypt*",
                    "kms:ReEncrypt*",
                    "kms:GenerateDataKey*",
                    "kms:Describe*",
                ],
                resources=["*"],
                conditions={"StringEquals": {"aws:SourceAccount": key.stack.account}},
            )
        )
    return key
