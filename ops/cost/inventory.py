"""The resource inventory of a synthesized cloud assembly: every resource of every template."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from infra.synth import SynthResult


@dataclass(frozen=True)
class CfnResource:
    """One CloudFormation resource of one stack."""

    stack: str
    region: str
    logical_id: str
    type: str
    properties: dict[str, Any]

    @property
    def address(self) -> str:
        """``stack/LogicalId``: how the output names the resource."""
        return f"{self.stack}/{self.logical_id}"

    def prop(self, name: str, default: Any = None) -> Any:
        """A property's value, or ``default`` when the template leaves it out."""
        return self.properties.get(name, default)

    def words(self) -> str:
        """Lower-case text naming the resource (logical id and any literal name), for matching."""
        names = [self.logical_id]
        for key, value in self.properties.items():
            if key.endswith("Name") and isinstance(value, str):
                names.append(value)
        return " ".join(names).lower()


@dataclass(frozen=True)
class Inventory:
    """Every resource of an assembly, in template order."""

    resources: tuple[CfnResource, ...]

    @classmethod
    def from_templates(cls, templates: dict[str, tuple[str, dict[str, Any]]]) -> Inventory:
        """From ``{stack name: (region, template)}``."""
        return cls(
            tuple(
                CfnResource(stack, region, logical_id, body["Type"], body.get("Properties", {}))
                for stack, (region, template) in templates.items()
                for logical_id, body in template.get("Resources", {}).items()
            )
        )

    @classmethod
    def from_result(cls, result: SynthResult) -> Inventory:
        """From a synthesis (each stack's template read from the assembly)."""
        return cls.from_templates(
            {
                name: (stack.region, json.loads(stack.template_path.read_text()))
                for name, stack in result.stacks.items()
            }
        )

    def of_type(self, *types: str) -> list[CfnResource]:
        """Resources of any of ``types``."""
        return [r for r in self.resources if r.type in types]

    def type_counts(self) -> Counter[str]:
        """How many resources of each type."""
        return Counter(r.type for r in self.resources)

    def referenced(self, resource: CfnResource, value: Any) -> CfnResource | None:
        """The resource of the same stack that ``value`` (a Ref or GetAtt) points to, if any."""
        if isinstance(value, dict):
            target = value.get("Ref")
            if target is None and "Fn::GetAtt" in value:
                target = value["Fn::GetAtt"][0]
            for candidate in self.resources:
                if candidate.stack == resource.stack and candidate.logical_id == target:
                    return candidate
        return None

    def in_stack(self, stack: str, types: Iterable[str]) -> list[CfnResource]:
        """Resources of ``types`` in one stack."""
        wanted = set(types)
        return [r for r in self.resources if r.stack == stack and r.type in wanted]
