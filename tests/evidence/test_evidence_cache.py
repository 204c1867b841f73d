"""The evidence step's caches (cdk-nag outcomes per template, drawings per DOT source) give what a
full run gives, and never hide a change."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from evidence import diagrams
from evidence.nag import runner
from infra.gate.cache import CACHE_DIR_VARIABLE

# The storage stack: buckets whose encryption rule a test can break.
SAMPLE = ("pcs-prod-foundation", "pcs-prod-data")


@pytest.fixture
def templates(prod, tmp_path) -> list[Path]:
    return [Path(shutil.copy(prod.stacks[n].template_path, tmp_path)) for n in SAMPLE]


@pytest.fixture
def cache_root(monkeypatch, tmp_path) -> Path:
    root = tmp_path / "cache"
    monkeypatch.setenv(CACHE_DIR_VARIABLE, str(root))
    return root


def _no_node(templates):
    raise AssertionError(f"node evaluated {templates} although they were cached")


def test_cached_outcomes_equal_a_full_evaluation(templates, cache_root, monkeypatch):
    monkeypatch.setenv(CACHE_DIR_VARIABLE, "")
    full = runner.evaluate(templates)
    monkeypatch.setenv(CACHE_DIR_VARIABLE, str(cache_root))

    assert runner.evaluate(templates) == full  # fills the cache
    monkeypatch.setattr(runner, "_run_node", _no_node)
    assert runner.evaluate(templates) == full  # reads it, node not started
    assert len(list((cache_root / "cdk-nag-evidence").glob("*.json"))) == len(SAMPLE)
    assert any(o.outcome != "Compliant" for o in full), "equality compares findings too"


def test_a_changed_template_is_evaluated_again(templates, cache_root):
    runner.evaluate(templates)
    data = templates[1]
    template = json.loads(data.read_text())
    bucket_id, bucket = next(
        (i, r) for i, r in template["Resources"].items() if r["Type"] == "AWS::S3::Bucket"
    )
    del bucket["Properties"]["BucketEncryption"]
    data.write_text(json.dumps(template))

    outcomes = {
        (o.logical_id, o.rule): o.outcome
        for o in runner.evaluate(templates)
        if o.template == data.name
    }
    assert outcomes[(bucket_id, "NIST.800.53.R5-S3DefaultEncryptionKMS")] == "Non-Compliant"


def test_a_drawing_comes_from_the_cache_only_for_the_same_source(cache_root, tmp_path, monkeypatch):
    first = diagrams.render("digraph { a -> b }\n", tmp_path / "one")
    drawn = {p.suffix: p.read_bytes() for p in first}

    def no_dot(*args, **kwargs):
        raise AssertionError("dot ran for a drawing already in the cache")

    monkeypatch.setattr(diagrams.subprocess, "run", no_dot)
    again = diagrams.render("digraph { a -> b }\n", tmp_path / "two")
    assert {p.suffix: p.read_bytes() for p in again} == drawn
    with pytest.raises(AssertionError, match="dot ran"):
        diagrams.render("digraph { a -> c }\n", tmp_path / "three")
