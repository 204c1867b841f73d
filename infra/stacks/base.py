"""The base of every platform stack: its region's AZs come from the deployment file."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aws_cdk import Stack
from constructs import Construct


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

    @property
    def availability_zones(self) -> list[str]:
        """The deployment's AZs of this stack's region."""
        return self._availability_zones
