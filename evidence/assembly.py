"""The synthesized cloud assembly as the evidence reads it: templates, hashes, construct paths and
the acknowledgements (with their reasons) that the synth recorded beside each resource."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

_ACKNOWLEDGED = "aws:cdk:acknowledged-rules"
_LOGICAL_ID = "aws:cdk:logicalId"


@dataclass(frozen=True)
class Stack:
    """One stack's template and what the assembly's metadata says about its resources."""

    name: str
    region: str
    template_path: Path
    template: dict
    sha256: str
    paths: dict[str, str]  # logical id -> construct path
    acknowledgements: dict[str, dict[str, str]]  # construct path -> {rule id: reason}

    @property
    def resources(self) -> dict[str, dict]:
        return self.template.get("Resources", {})

    def acknowledgement(self, logical_id: str, rule: str) -> str | None:
        """The reason ``rule`` is acknowledged on the resource or one of its construct parents."""
        path = self.paths.get(logical_id, "")
        for scope, rules in self.acknowledgements.items():
            if path == scope or path.startswith(scope + "/"):
                for acknowledged, reason in rules.items():
                    if acknowledged.split("::", 1)[-1] == rule:
                        return reason
        return None


@dataclass(frozen=True)
class Assembly:
    """Every CloudFormation stack of one synthesized deployment, by stack name."""

    outdir: Path
    stacks: dict[str, Stack] = field(default_factory=dict)

    @property
    def prefix(self) -> str:
        """The words every stack name starts with ("pcs-prod"): the deployment's name."""
        words = [name.split("-") for name in sorted(self.stacks)]
        common = []
        for column in zip(*words, strict=False):
            if len(set(column)) != 1:
                break
            common.append(column[0])
        return "-".join(common)

    def resources(self):
        """(stack, logical id, resource) for every resource, in a stable order."""
        for stack in sorted(self.stacks.values(), key=lambda s: s.name):
            for logical_id in sorted(stack.resources):
                yield stack, logical_id, stack.resources[logical_id]


def read_assembly(outdir: Path) -> Assembly:
    """Read ``outdir`` (a ``cdk.out``); raises FileNotFoundError when it holds no synth."""
    manifest = json.loads((outdir / "manifest.json").read_text())
    stacks = {}
    for name, artifact in manifest["artifacts"].items():
        if artifact["type"] != "aws:cloudformation:stack":
            continue
        template_path = outdir / artifact["properties"]["templateFile"]
        raw = template_path.read_bytes()
        paths, acknowledgements = _metadata(outdir / f"{name}.metadata.json")
        stacks[name] = Stack(
            name=name,
            region=artifact["environment"].rsplit("/", 1)[-1],
            template_path=template_path,
            template=json.loads(raw),
            sha256=hashlib.sha256(raw).hexdigest(),
            paths=paths,
            acknowledgements=acknowledgements,
        )
    return Assembly(outdir=outdir, stacks=stacks)


def _metadata(path: Path) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    paths: dict[str, str] = {}
    acknowledgements: dict[str, dict[str, str]] = {}
    if not path.exists():
        return paths, acknowledgements
    for construct_path, entries in json.loads(path.read_text()).items():
        for entry in entries:
            if entry["type"] == _LOGICAL_ID:
                paths[entry["data"]] = construct_path
            elif entry["type"] == _ACKNOWLEDGED:
                acknowledgements.setdefault(construct_path, {}).update(entry["data"])
    return paths, acknowledgements
