"""The gate's findings cache gives the same verdict as a full scan, and never hides a change."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from infra.gate.cache import FindingsCache
from infra.gate.checkov import OPEN_EGRESS_CHECK, start_scan
from infra.gate.lint import lint_assembly

# Two of prod's templates: the network (security groups, the custom egress check) and the
# compute stack (the most cfn-lint warnings), copied so that a test may change them.
SAMPLE = ("pcs-prod-network", "pcs-prod-compute")


@pytest.fixture
def templates(prod, tmp_path) -> dict[str, tuple[str, Path]]:
    copied = {}
    for name in SAMPLE:
        stack = prod.stacks[name]
        copied[name] = (stack.region, Path(shutil.copy(stack.template_path, tmp_path)))
    return copied


def _checkov(templates, cache):
    return start_scan({s: path for s, (_, path) in templates.items()}, cache=cache).report()


def test_cached_findings_equal_a_full_scan(templates, tmp_path):
    cache_root = tmp_path / "cache"
    full_lint = lint_assembly(templates, cache=FindingsCache("cfn-lint", None))
    full_scan = _checkov(templates, FindingsCache("checkov", None))

    for _ in range(2):  # the first run fills the cache, the second reads it
        assert lint_assembly(templates, cache=FindingsCache("cfn-lint", cache_root)) == full_lint
        cached = _checkov(templates, FindingsCache("checkov", cache_root))
        assert sorted(map(str, cached.results)) == sorted(map(str, full_scan.results))
        assert cached.version == full_scan.version
    assert len(list((cache_root / "checkov").glob("*.json"))) == len(SAMPLE)
    assert full_lint, "the sample has cfn-lint warnings, so equality compares findings"


def test_a_changed_template_is_scanned_again_not_read_from_the_cache(templates, tmp_path):
    cache = tmp_path / "cache"
    _checkov(templates, FindingsCache("checkov", cache))
    lint_assembly(templates, cache=FindingsCache("cfn-lint", cache))

    _, network = templates["pcs-prod-network"]
    template = json.loads(network.read_text())
    group = next(
        r for r in template["Resources"].values() if r["Type"] == "AWS::EC2::SecurityGroup"
    )
    group["Properties"]["SecurityGroupEgress"] = [
        {
            "IpProtocol": "tcp",
            "FromPort": 443,
            "ToPort": 443,
            "CidrIp": "0.0.0.0/0",
            "Description": "probe: egress to the internet",
        }
    ]
    group["Properties"]["NotAProperty"] = True
    network.write_text(json.dumps(template))

    rescanned = _checkov(templates, FindingsCache("checkov", cache))
    assert [r.check for r in rescanned.failed] == [OPEN_EGRESS_CHECK]
    relinted = lint_assembly(templates, cache=FindingsCache("cfn-lint", cache))
    assert any(f.level == "error" and "NotAProperty" in f.message for f in relinted)


def test_the_summary_says_how_long_each_step_took(prod):
    assert [name for name, _ in prod.timings] == ["app", "synth+nag", "scanners"]
    assert all(seconds > 0 for _, seconds in prod.timings)
