"""Synthesize each environment once per test session; tests assert on its templates.

Synthesis (with cdk-nag and cfn-lint) is the slow part, so ``prod`` and ``dev`` are session
fixtures and ``template(result, "network")`` parses a stack's template once.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

import pytest

_VENV_NODE = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "node"
if _VENV_NODE.exists():
    os.environ.setdefault("JSII_NODE", str(_VENV_NODE))

from aws_cdk.assertions import Template  # noqa: E402  (after JSII_NODE is set)

from infra.config import load_config  # noqa: E402
from infra.synth import SynthResult, synthesize  # noqa: E402


@pytest.fixture(scope="session")
def prod(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    """All prod stacks at prod's default tier, gated."""
    return synthesize(load_config("prod"), tmp_path_factory.mktemp("prod"))


@pytest.fixture(scope="session")
def dev(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    """All dev stacks at dev's default tier, gated."""
    return synthesize(load_config("dev"), tmp_path_factory.mktemp("dev"))


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
