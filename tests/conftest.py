"""Session fixtures shared by every test package.

Synthesis (with cdk-nag and cfn-lint) is the slow part of the suite, so each environment is
synthesized once per session here, and the infrastructure and cost tests assert on the same
result. The CDK is imported only when a test asks for a synth, so service tests don't start it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests import xdist_groups

if TYPE_CHECKING:
    from infra.synth import SynthResult

TESTS = Path(__file__).resolve().parent
_VENV_NODE = TESTS.parent / ".venv" / "bin" / "node"
if _VENV_NODE.exists():
    os.environ.setdefault("JSII_NODE", str(_VENV_NODE))


# The session synths below; a test that takes one, directly, through another fixture or by
# name (a parameter given to request.getfixturevalue), is marked `synth`.
SYNTH_FIXTURES = frozenset(
    {"prod", "dev", "staging", "prod_1m", "prod_10k", "acme_prod", "cli_synth"}
)
# Set by `make test-fast` (`-m "not synth and ..."`): a synth there means a test is not marked.
FAST_LANE = "PCS_TEST_LANE"
# The fault tests start real servers to break them; the portal's fixtures run the whole stack
# locally and drive Debian's Chromium (tests/web/conftest.py).
FAULTS = TESTS / "service" / "faults"
BROWSER_FIXTURES = frozenset({"portal", "browser"})
# Whole modules that are slow for reasons of their own: the CDK CLI's own synth, the API fuzzer,
# the start scripts' real processes.
SLOW_MODULES = frozenset(
    {
        TESTS / "infra" / "test_cdk_cli.py",
        TESTS / "service" / "test_openapi_fuzz.py",
        TESTS / "service" / "bin" / "test_start_scripts.py",
        # Starts a real Celery worker and stops it mid-task, twice.
        TESTS / "service" / "pcs" / "test_worker_shutdown.py",
    }
)
# Under pytest-xdist (`make test`), tests sharing a session fixture that is costly to build run
# in one process, so it is built once: every synth, the portal's local stack, the fault tests'
# private PostgreSQL. The others stay with their module, whose module fixtures are built once too.
SHARED_LANES = ("synth", "browser", "faults")


# First: pytest-xdist's own hook reads the groups this one sets.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test with the lanes it belongs to (pyproject.toml lists the markers) and its
    pytest-xdist group."""
    for item in items:
        params = getattr(item, "callspec", None)
        named = {v for v in (params.params.values() if params else ()) if isinstance(v, str)}
        if SYNTH_FIXTURES & (set(item.fixturenames) | named):
            item.add_marker(pytest.mark.synth)
        if FAULTS in item.path.parents:
            item.add_marker(pytest.mark.faults)
        if BROWSER_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.browser)
        if item.path in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
        lane = next((lane for lane in SHARED_LANES if item.get_closest_marker(lane)), None)
        if lane:
            item.add_marker(pytest.mark.xdist_group(lane))
    if hasattr(config, "workerinput"):
        xdist_groups.write(config.workerinput["workerid"], items)


def pytest_xdist_setupnodes(config: pytest.Config) -> None:
    """Before the workers start (they inherit this environment): each makes its own Redis key
    prefix (pcs.settings.test), since the one pytest-django set here would let one worker's
    clean-up delete the keys another uses; and they learn where to write their tests' groups."""
    os.environ.pop("PCS_REDIS_KEY_PREFIX", None)
    groups = Path(tempfile.mkdtemp(prefix="pcs-xdist-groups-"))
    config.add_cleanup(lambda: shutil.rmtree(groups, ignore_errors=True))
    os.environ[xdist_groups.GROUPS_FILE] = str(groups / "groups.json")


def pytest_xdist_make_scheduler(config: pytest.Config, log) -> xdist_groups.GroupScheduling | None:
    """`--dist loadgroup` that works under pytest 9 (tests/xdist_groups.py)."""
    if config.getvalue("dist") == "loadgroup":
        return xdist_groups.GroupScheduling(config, log)
    return None


def _synthesize(
    deployment: str, outdir: Path, tier: str | None = None, *, gated: bool = True
) -> SynthResult:
    """One synth; ``gated`` adds cfn-lint and checkov (cdk-nag runs inside every synth). Only
    prod and dev are gated: the gate's tests are about them, and a scanner pass costs as much
    as a synth when its cache is cold (docs/decisions/test-lanes.md)."""
    from infra.config import load_config
    from infra.synth import synthesize

    if os.environ.get(FAST_LANE) == "fast":
        pytest.fail(f"a test in the fast lane synthesized {deployment}: mark it `synth`")
    return synthesize(load_config(deployment, tier), outdir, lint=gated)


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
    """All staging stacks at staging's default tier, cdk-nag only."""
    return _synthesize("staging", tmp_path_factory.mktemp("staging"), gated=False)


@pytest.fixture(scope="session")
def prod_1m(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    """All prod stacks at the 1m tier (provisioned Aurora), cdk-nag only."""
    return _synthesize("prod", tmp_path_factory.mktemp("prod-1m"), tier="1m", gated=False)


@pytest.fixture(scope="session")
def prod_10k(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    """All prod stacks at the 10k tier (docs/cost.md's first column), cdk-nag only."""
    return _synthesize("prod", tmp_path_factory.mktemp("prod-10k"), tier="10k", gated=False)


@pytest.fixture(scope="session")
def acme_prod(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    """The second example deployment (another account, domain, zone, AZs, DR region), cdk-nag
    only."""
    return _synthesize("acme-prod", tmp_path_factory.mktemp("acme-prod"), gated=False)
