"""The base of every platform stack: its region's AZs come from the deployment file."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jsii
from aws_cdk import Aws, CfnResource, Stack
from constructs import Construct, IValidation

from infra.defaults.fips import FipsEndpoints
from infra.gate.nag import HANDLER_FUNCTION_RULES, HANDLER_ROLE_RULES, acknowledge

# The deploy role may create only roles that carry this boundary (infra/delivery/bootstrap.py).
_BOUNDARY_CONTEXT = "@aws-cdk/core:permissionsBoundary"


class PlatformStack(Stack):
    """A stack whose :attr:`availability_zones` are the deployment's, not looked up.

    The CDK's own property is a context lookup: an AWS call at synth, or dummy AZs recorded as a
    missing lookup in ``manifest.json`` when no credentials are at hand. Overriding it keeps
    synth offline and the templates the same wherever they are synthesized.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        availability_zones: Sequence[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self._availability_zones = list(availability_zones)
        self.node.add_validation(_LateProviders(self))

    @property
    def availability_zones(self) -> list[str]:
        """The deployment's AZs of this stack's region."""
        return self._availability_zones


@jsii.implements(IValidation)
class _LateProviders:
    """Applies the app-wide aspects to the providers CDK adds while preparing the app.

    CDK creates the cross-region reference providers (``Custom::CrossRegionExport*``) when it
    resolves references, after the aspects ran: ``cdk.json``'s permissions boundary (the deploy
    role could not create their roles without it) and :class:`FipsEndpoints` (their SDK calls).
    Validation runs after that step and before the templates are written, so both are applied
    here, the aspects' way.
    """

    def __init__(self, stack: Stack) -> None:
        self._stack = stack

    def validate(self) -> list[str]:
        boundary = self._stack.node.try_get_context(_BOUNDARY_CONTEXT)
        fips = FipsEndpoints()
        for node in self._stack.node.find_all():
            if not isinstance(node, CfnResource) or "CrossRegionExport" not in node.node.path:
                continue
            fips.visit(node)
            if node.cfn_resource_type == "AWS::Lambda::Function":
                acknowledge(
                    node,
                    "CDK's deploy-time handler of a cross-region reference: only CloudFormation "
                    "invokes it, on stack create and update, and it calls only SSM Parameter "
                    "Store (so it needs no VPC placement); a failure fails and rolls back the "
                    "deployment, so a dead-letter queue or reserved concurrency adds nothing; "
                    "its only environment variable is the FIPS endpoint switch (no secret).",
                    "CKV_AWS_115",
                    "CKV_AWS_116",
                    "CKV_AWS_117",
                    "CKV_AWS_173",
                    *HANDLER_FUNCTION_RULES,
                )
            if node.cfn_resource_type == "AWS::IAM::Role":
                acknowledge(
                    node,
                    "CDK's role of its cross-region reference handler: CDK writes its policy "
                    "(inline, with the Lambda basic execution managed policy for its logs), "
                    "limited to SSM parameters under /cdk/exports/ of this deployment's stacks; "
                    "the role lives and dies with its stack and carries the permissions "
                    "boundary.",
                    *HANDLER_ROLE_RULES,
                )
            if boundary and node.cfn_resource_type == "AWS::IAM::Role":
                account = self._stack.account
                arn = f"arn:{Aws.PARTITION}:iam::{account}:policy/{boundary['name']}"
                node.add_property_override("PermissionsBoundary", arn)
        return []
