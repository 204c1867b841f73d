"""The user pool's signing keys (JWKS), captured at deploy for the API, which cannot fetch them.

The API's tasks have no internet egress (docs/decisions/network-task-egress.md) and Cognito's
PrivateLink does not serve a user pool with a domain. A user pool's signing keys do not rotate,
so a custom resource reads the key set once per deploy, from outside the VPC, and the API gets it
as ``COGNITO_JWKS`` (public keys: not a secret). A new pool (new issuer URL) is read anew.
"""

from __future__ import annotations

from pathlib import Path

from aws_cdk import CustomResource, Duration, Token
from aws_cdk import aws_kms as kms
from constructs import Construct

from infra.defaults.functions import (
    acknowledge_outside_vpc,
    function_log_and_role,
    platform_function,
    writes_its_log,
)
from infra.gate.nag import acknowledge

_HANDLER = Path(__file__).parent / "signing_keys"


class CapturedKeySet(Construct):
    """:attr:`jwks`: the key set at ``jwks_url`` as compact JSON, read at deploy, with the keys
    of the ``also_accepted`` key sets (another region's pool) merged in."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        jwks_url: str,
        also_accepted: tuple[str, ...] = (),
        logs_key: kms.IKey,
        log_retention_days: int,
    ) -> None:
        super().__init__(scope, construct_id)
        log_group, role = function_log_and_role(
            self,
            description="Captures the user pool's public signing keys: writes its own log only",
            logs_key=logs_key,
            retention_days=log_retention_days,
            log_id="Log",
        )
        role.add_to_policy(writes_its_log(log_group))
        function = platform_function(
            self,
            "Function",
            description="Reads the user pool's JWKS at deploy for the API (no route to Cognito)",
            handler="capture.handler",
            source=_HANDLER,
            timeout=Duration.seconds(30),
            role=role,
            log_group=log_group,
        )
        acknowledge_outside_vpc(
            function,
            "Runs only when CloudFormation creates or updates the pool's key set: one HTTPS GET "
            "of Cognito's public key set, which needs the internet, so it runs outside the VPC "
            "(no VPC resource is reachable from it, and its role can only write its own log). "
            "A failure fails the deployment, so a dead-letter queue or reserved concurrency "
            "adds nothing; it calls no AWS API and its only variable is the FIPS switch.",
        )
        acknowledge(
            role,
            "The policy is generated from this function's one grant (its log group) and "
            "belongs to this role alone.",
            "NIST.800.53.R5-IAMNoInlinePolicy",
        )
        resource = CustomResource(
            self,
            "KeySet",
            service_token=function.function_arn,
            resource_type="Custom::UserPoolKeySet",
            properties={
                "JwksUrl": jwks_url,
                **({"AlsoAcceptedJwksUrls": list(also_accepted)} if also_accepted else {}),
            },
        )
        self.jwks: str = Token.as_string(resource.get_att("Jwks"))
