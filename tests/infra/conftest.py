"""Helpers over the session synths of tests/conftest.py (``prod``, ``dev``).

``template(result, "network")`` parses a stack's template once.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from aws_cdk.assertions import Template

from infra.synth import SynthResult


@cache
def _template(template_path: Path) -> Template:
    return Template.from_json(json.loads(template_path.read_text()))


def template(result: SynthResult, stack: str) -> Template:
    """The assertions Template of ``<prefix>-<stack>`` in ``result``."""
    return _template(result.stacks[f"{result.config.prefix}-{stack}"].template_path)


def resources(result: SynthResult, stack: str, resource_type: str) -> dict[str, dict]:
    """``{logical_id: resource}`` of one type in a stack's template, as plain JSON."""
    body = result.stacks[f"{result.config.prefix}-{stack}"].template
    return {k: v for k, v in body["Resources"].items() if v["Type"] == resource_type}
