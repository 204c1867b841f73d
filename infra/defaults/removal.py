"""What a stack's deletion does to the resources the platform keeps (buckets, keys, secrets,
log groups, vaults, the image repository): decided once per deployment, here.

Those resources are built with ``RemovalPolicy.RETAIN`` (infra/defaults, the constructs). This
aspect turns every such Retain into:

- ``RETAIN_ON_UPDATE_OR_DELETE`` (CloudFormation ``DeletionPolicy: RetainExceptOnCreate``):
  kept once created, but deleted when the stack's first create rolls back, so a failed first
  deploy leaves no named log group, secret or bucket behind to make the retry fail with
  "already exists";
- ``DESTROY`` where the environment is ``destroyable`` (dev): deleted with the stack.

Snapshot policies (Aurora) are left alone: the cluster is snapshotted when removed everywhere.
"""

from __future__ import annotations

import jsii
from aws_cdk import CfnDeletionPolicy, CfnResource, IAspect, RemovalPolicy
from constructs import IConstruct


@jsii.implements(IAspect)
class StatefulRemoval:
    """Applies the deployment's removal policy to every resource built with Retain."""

    def __init__(self, *, destroyable: bool) -> None:
        self._policy = (
            RemovalPolicy.DESTROY if destroyable else RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE
        )

    def visit(self, node: IConstruct) -> None:
        """Re-apply the policy to a Retain resource; leave every other resource as it is."""
        if (
            isinstance(node, CfnResource)
            and node.cfn_options.deletion_policy == CfnDeletionPolicy.RETAIN
        ):
            node.apply_removal_policy(self._policy)
