"""What every platform Lambda function shares."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct, IConstruct

from infra.defaults.logs import encrypted_log_group
from infra.gate.nag import acknowledge


def platform_function(
    scope: Construct, construct_id: str, *, source: Path, handler: str, **props: Any
) -> lambda_.Function:
    """A platform Lambda function: Python on Graviton, 128 MB, code from ``source``.

    Its environment is acknowledged as settings only (``acknowledge_plain_environment``);
    ``props`` are the rest of ``lambda_.Function``'s (role, log group, timeout, VPC, ...).
    """
    function = lambda_.Function(
        scope,
        construct_id,
        runtime=lambda_.Runtime.PYTHON_3_14,
        architecture=lambda_.Architecture.ARM_64,
        memory_size=128,
        handler=handler,
        # Bytecode that importing the code (tests, the CLIs) leaves beside it is no part of the
        # function: without the exclusion the asset's hash changes between two synths.
        code=lambda_.Code.from_asset(str(source), exclude=["__pycache__", "*.pyc"]),
        **props,
    )
    acknowledge_plain_environment(function)
    return function


def acknowledge_plain_environment(function: IConstruct) -> None:
    """The function's environment holds settings, not secrets, so it keeps Lambda's own key.

    A customer-managed key (checkov CKV_AWS_173) would protect names, ARNs, numbers and
    ``AWS_USE_FIPS_ENDPOINT`` that the templates already show; no function reads a secret from
    its environment. ``function`` is a Lambda function or a CDK provider holding one.
    """
    acknowledge(
        function,
        "The environment holds only resource names, ARNs, URLs and numbers that the template "
        "itself shows, no secret; Lambda encrypts it at rest with its service key, and "
        "secrets are read from Secrets Manager, never passed in the environment.",
        "CKV_AWS_173",
    )


# What a function outside the VPC, without a dead-letter queue or reserved concurrency, raises
# in cdk-nag (NIST 800-53 R5) and checkov.
OUTSIDE_VPC_FINDINGS = (
    "NIST.800.53.R5-LambdaInsideVPC",
    "NIST.800.53.R5-LambdaDLQ",
    "NIST.800.53.R5-LambdaConcurrency",
    "CKV_AWS_117",
    "CKV_AWS_116",
    "CKV_AWS_115",
)


def acknowledge_outside_vpc(function: IConstruct, reason: str) -> None:
    """Acknowledge :data:`OUTSIDE_VPC_FINDINGS` on ``function`` with ``reason``: why it runs
    outside the VPC and what stands in for a dead-letter queue and reserved concurrency."""
    acknowledge(function, reason, *OUTSIDE_VPC_FINDINGS)


def function_log_and_role(
    scope: Construct,
    *,
    description: str,
    logs_key: kms.IKey,
    retention_days: int,
    function_name: str | None = None,
    log_id: str = "Logs",
    role_id: str = "Role",
    role_name: str | None = None,
) -> tuple[logs.LogGroup, iam.Role]:
    """A function's own encrypted log group (construct id ``log_id``; named
    ``/aws/lambda/<function_name>`` when ``function_name`` is given, else by CloudFormation) and
    its role (``role_id``, ``role_name`` if given), for Lambda to assume; the caller grants the
    rest, its log with :func:`writes_its_log`.

    The ids and the unnamed groups keep the functions that predate this helper (the pool-admin
    function, the key-set capture) as they were deployed: renaming would replace the group.
    """
    log_group = encrypted_log_group(
        scope,
        log_id,
        key=logs_key,
        retention_days=retention_days,
        log_group_name=f"/aws/lambda/{function_name}" if function_name else None,
    )
    role = iam.Role(
        scope,
        role_id,
        role_name=role_name,
        assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
        description=description,
    )
    return log_group, role


def writes_its_log(log_group: logs.ILogGroup) -> iam.PolicyStatement:
    """A function's right to write its own log group, and no other."""
    return iam.PolicyStatement(
        actions=["logs:CreateLogStream", "logs:PutLogEvents"],
        resources=[log_group.log_group_arn],
    )


def puts_metrics_in(namespace: str) -> iam.PolicyStatement:
    """PutMetricData (no resource-level permission) limited to one namespace by condition."""
    return iam.PolicyStatement(
        actions=["cloudwatch:PutMetricData"],
        resources=["*"],
        conditions={"StringEquals": {"cloudwatch:namespace": namespace}},
    )
