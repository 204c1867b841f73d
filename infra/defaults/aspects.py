"""Several app-wide aspects applied in one visit per construct.

CDK calls an aspect written in Python across the jsii bridge once per construct it visits:
N aspects on the app cost N round trips per construct, one that dispatches to all N costs
one. Each keeps its own logic and order; an aspect meant for some stacks only (the standby's
paging) checks the visited construct's stack itself rather than being added to each stack.
"""

from __future__ import annotations

import jsii
from aws_cdk import IAspect
from constructs import IConstruct


@jsii.implements(IAspect)
class InOneVisit:
    """Applies ``aspects`` to each construct, in the order given, in a single visit."""

    def __init__(self, *aspects: IAspect) -> None:
        self._aspects = aspects

    def visit(self, node: IConstruct) -> None:
        """Let every aspect visit ``node``."""
        for aspect in self._aspects:
            aspect.visit(node)
