"""`make test` runs two pytest-xdist processes, and a shared session fixture is still built once.

A small suite in a temporary directory takes this repository's lane rules (tests/conftest.py's
collection and xdist hooks) and session fixtures named like the real ones, each recording when
it is built, and runs with the Makefile's options.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parents[1]
MODULES = 6  # enough tests that xdist's plain load balancing would give both processes some

CONFTEST = """
import os
from pathlib import Path

import pytest

from tests.conftest import (
    pytest_collection_modifyitems,
    pytest_xdist_make_scheduler,
    pytest_xdist_setupnodes,
)

LOG = Path(__file__).parent / "log.txt"


def record(what):
    with LOG.open("a") as log:
        log.write(f"{what} {os.getpid()}\\n")


@pytest.fixture(scope="session")
def prod():
    record("built-prod")


@pytest.fixture(scope="session")
def portal():
    record("built-portal")


@pytest.fixture(autouse=True)
def _ran():
    record("ran")
"""

TESTS = """
import os

def test_one(prod): pass
def test_two(prod): pass
def test_in_the_browser(portal): pass
def test_redis_key_prefix_is_the_processs_own():
    assert "PCS_REDIS_KEY_PREFIX" not in os.environ
"""


def _make_test_options() -> list[str]:
    """The pytest options `make test` passes, read from the Makefile."""
    text = (REPO / "Makefile").read_text()
    workers = re.search(r"^TEST_WORKERS\s*\?=\s*(\d+)$", text, re.M).group(1)
    options = re.search(r"^PYTEST_WORKERS\s*:=.*,(-n \$\(TEST_WORKERS\)[^)]*)\)$", text, re.M)
    return options.group(1).replace("$(TEST_WORKERS)", workers).split()


def test_two_processes_share_the_tests_and_each_shared_fixture_is_built_once(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
):
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(**{f"test_module_{n}": TESTS for n in range(MODULES)})
    # As in `make test`: pytest-django has set a prefix in the process that starts the workers.
    monkeypatch.setenv("PCS_REDIS_KEY_PREFIX", "pcs-test-controller:")
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    options = _make_test_options()
    assert options == ["-n", "2", "--dist", "loadgroup"]

    result = pytester.runpytest_subprocess(*options, "-p", "no:cacheprovider", "-p", "no:django")

    result.assert_outcomes(passed=4 * MODULES)
    log = [line.split() for line in (pytester.path / "log.txt").read_text().splitlines()]
    assert len({pid for what, pid in log if what == "ran"}) == 2
    assert sorted(what for what, _ in log if what != "ran") == ["built-portal", "built-prod"]
