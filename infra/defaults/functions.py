"""What every platform Lambda function shares."""

from __future__ import annotations

from aws_cdk import aws_lambda as lambda_

from infra.gate.nag import acknowledge


def acknowledge_plain_environment(function: lambda_.Function) -> None:
    """The function's environment holds settings, not secrets, so it keeps Lambda's own key.

    A customer-managed key (checkov CKV_AWS_173) would protect names, ARNs and numbers that the
    templates already show; the functions read no secret from their environment.
    """
    acknowledge(
        function,
        "The environment holds only resource names, ARNs, URLs and numbers that the template "
        "itself shows, no secret; Lambda encrypts it at rest with its service key, and "
        "secrets are read from Secrets Manager, never passed in the environment.",
        "CKV_AWS_173",
    )
