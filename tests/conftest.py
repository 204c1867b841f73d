"""Session fixtures shared by every test package.

Synthesis (with cdk-nag and cfn-lint) is the slow part of the suite, so each environment is
synthesized once per session here, and the infrastructure and cost tests assert on the same
result. The CDK is imported only when a test asks for a synth, so service tests don't start it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from infra.synth import SynthResult

_VENV_NODE = Path(__file__).resolve().parents[1] / ".venv" / "bin" / "node"
if _VENV_NODE.exists():
    os.environ.setdefault("JSII_NODE", str(_VENV_NODE))


def _synthesize(deployment: str, outdir: Path, tier: str | None = None) -> SynthResult:
    from infra.config import load_config
    from infra.synth import synthesize

    return synthesize(load_config(deployment, tier), outdir)


@pytest.fixture(scope="session")
def prod(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    """All prod stacks at prod's default tier, gated."""
    return _synthesize("prod", tmp_path_factory.mktemp("prod"))


@pytest.fixture(scope="session")
def dev(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    """All dev stacks at dev's default tier, gated."""
    return _synthesize("dev", tmp_path_factory.mktemp("dev"))


@pytest.fixture(scope="session")
def staging(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    """All staging stacks at staging's default tier, gated."""
    return _synthesize("staging", tmp_path_factory.mktemp("staging"))


@pytest.fixture(scope="session")
def prod_1m(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    """All prod stacks at the 1m tier (provisioned Aurora), gated."""
    return _synthesize("prod", tmp_path_factory.mktemp("prod-1m"), tier="1m")


@pytest.fixture(scope="session")
def acme_prod(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    """The second example deployment (another account, domain, zone, AZs, DR region), gated."""
    return _synthesize("acme-prod", tmp_path_factory.mktemp("acme-prod"))
