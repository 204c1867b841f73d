"""The synthesis picture: a PNG naming every stack."""

from __future__ import annotations

from dataclasses import replace

import pytest

from infra import diagram
from infra.diagram import _depths, render_diagram
from infra.gate.cache import CACHE_DIR_VARIABLE


def test_diagram_is_a_png_of_the_synthesized_stacks(prod, tmp_path):
    path = render_diagram(prod, tmp_path / "architecture.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert path.stat().st_size > 10_000


def test_a_stack_sits_right_of_every_stack_it_uses(prod):
    depths = _depths(prod.stacks)
    for name, stack in prod.stacks.items():
        assert all(depths[name] > depths[parent] for parent in stack.depends_on)
    # The DR alert topic (every DR alarm pages on it), the DR storage stack, which holds the key
    # the foundation's secrets replicate under, and the DR backup stack, the vault the primary's
    # plans copy into: they go first.
    assert depths["pcs-prod-dr-alerts"] == 0
    assert depths["pcs-prod-dr-storage"] == 1
    assert depths["pcs-prod-dr-backup"] == 2
    assert depths["pcs-prod-foundation"] == 3


def test_the_picture_is_drawn_again_only_when_what_it_shows_changes(prod, tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_DIR_VARIABLE, str(tmp_path / "cache"))
    first = render_diagram(prod, tmp_path / "first.png").read_bytes()

    def no_drawing(*args):
        raise AssertionError("drawn again")

    monkeypatch.setattr(diagram, "_draw", no_drawing)
    assert render_diagram(prod, tmp_path / "again.png").read_bytes() == first
    network = prod.stacks["pcs-prod-network"]
    changed = replace(
        prod, stacks={**prod.stacks, network.name: replace(network, depends_on=("pcs-prod-edge",))}
    )
    with pytest.raises(AssertionError, match="drawn again"):
        render_diagram(changed, tmp_path / "changed.png")
