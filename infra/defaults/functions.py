"""What every platform Lambda function shares."""

from __future__ import annotations

from constructs import IConstruct

from infra.gate.nag import acknowledge


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
