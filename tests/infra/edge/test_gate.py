"""The compliance gate holds for the edge, origin, delivery and compute stacks in prod and dev."""

from __future__ import annotations

import pytest

STACKS = ("edge", "origin", "delivery", "compute")


def _names(result) -> set[str]:
    return {f"{result.config.prefix}-{stack}" for stack in STACKS}


@pytest.mark.parametrize("environment", ["prod", "dev"])
def test_issue_3_stacks_are_synthesized(environment, request):
    result = request.getfixturevalue(environment)
    assert _names(result) <= set(result.stacks)


@pytest.mark.parametrize("environment", ["prod", "dev"])
def test_no_unacknowledged_nag_errors(environment, request):
    result = request.getfixturevalue(environment)
    names = _names(result)
    assert [str(f) for f in result.nag_errors if f.path.split("/")[0] in names] == []


@pytest.mark.parametrize("environment", ["prod", "dev"])
def test_no_cfn_lint_errors(environment, request):
    result = request.getfixturevalue(environment)
    names = _names(result)
    assert [str(f) for f in result.lint_errors if f.stack in names] == []
