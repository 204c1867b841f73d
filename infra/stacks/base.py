"""The base of every platform stack: its region's AZs come from the deployment file."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jsii
from aws_cdk import Aws, CfnResource, Stack
from constructs import Construct, IValidation

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
        self.node.add_validation(_LateRolesBoundary(self))

    @property
    def availability_zones(self) -> list[str]:
        """The deployment's AZs of this stack's region."""
        return self._availability_zones


@jsii.implements(IValidation)
class _LateRolesBoundary:
    """Gives the permissions boundary to the roles CDK adds while preparing the app.

    CDK creates the cross-region reference providers (``Custom::CrossRegionExport*``) when it
    resolves references, after the aspect that applies ``cdk.json``'s boundary has run; the
    deploy role could not create their roles without it. Validation runs after that step and
    before the templates are written, so the boundary is added here, the aspect's way.
    """

    def __init__(self, stack: Stack) -> None:
        self._stack = stack

    def validate(self) -> list[str]:
        boundary = self._stack.node.try_get_context(_BOUNDARY_CONTEXT)
        if not boundary:
            return []
        arn = f"arn:{Aws.PARTITION}:iam::{self._stack.account}:policy/{boundary['name']}"
        for node in self._stack.node.find_all():
            if (
                isinstance(node, CfnResource)
                and node.cfn_resource_type == "AWS::IAM::Role"
                and "CrossRegionExport" in node.node.path
            ):
                node.add_property_override("PermissionsBoundary", arn)
        return []
