"""A picture of one synthesis: the stacks, their regions and what depends on what.

Stacks are laid out in columns by dependency depth (a stack sits right of everything it uses),
coloured by region, each box naming its largest resource types. The picture depends only on
what it draws, so it is kept in the gate's findings cache under that (``infra/gate/cache.py``)
and matplotlib is loaded only to draw a new one.
"""

from __future__ import annotations

import base64
from pathlib import Path

from infra.gate.cache import FindingsCache, cache_dir, digest
from infra.synth import StackArtifact, SynthResult

_BOX_W, _BOX_H, _GAP_X, _GAP_Y = 3.6, 1.9, 1.4, 0.5
_REGION_COLOURS = ("#dbeafe", "#fde68a", "#dcfce7", "#fce7f3")


def _depths(stacks: dict[str, StackArtifact]) -> dict[str, int]:
    depths: dict[str, int] = {}

    def depth(name: str) -> int:
        if name not in depths:
            parents = [d for d in stacks[name].depends_on if d in stacks]
            depths[name] = 1 + max((depth(p) for p in parents), default=-1)
        return depths[name]

    for name in stacks:
        depth(name)
    return depths


def _label(stack: StackArtifact, prefix: str) -> str:
    types = stack.resource_types
    top = "\n".join(f"{n} x {t.split('::')[-1]}" for t, n in types.most_common(3))
    return f"{stack.name.removeprefix(prefix + '-')}\n{sum(types.values())} resources\n{top}"


def render_diagram(result: SynthResult, path: Path) -> Path:
    """Draw ``result``'s stacks and dependencies to ``path`` (PNG) and return the path."""
    config = result.config
    drawn = [
        (s.name, s.region, sorted(s.depends_on), _label(s, config.prefix))
        for s in sorted(result.stacks.values(), key=lambda s: s.name)
    ]
    key = digest(Path(__file__).read_bytes(), config.prefix, config.tier.name, repr(drawn))
    pictures = FindingsCache("architecture", cache_dir())
    cached = pictures.get(key)
    if cached is not None:
        path.write_bytes(base64.b64decode(cached[0]))
        return path
    _draw(result, path)
    pictures.put(key, [base64.b64encode(path.read_bytes()).decode()])
    return path


def _draw(result: SynthResult, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no display: render straight to PNG
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch, Rectangle

    stacks = result.stacks
    depths = _depths(stacks)
    columns: dict[int, list[str]] = {}
    for name in sorted(stacks):
        columns.setdefault(depths[name], []).append(name)
    regions = sorted({s.region for s in stacks.values()})
    colour = {r: _REGION_COLOURS[i % len(_REGION_COLOURS)] for i, r in enumerate(regions)}
    tallest = max(len(names) for names in columns.values())

    centre: dict[str, tuple[float, float]] = {}
    for column, names in columns.items():
        for row, name in enumerate(names):
            x = column * (_BOX_W + _GAP_X)
            y = (tallest - 1 - row) * (_BOX_H + _GAP_Y) + _GAP_Y
            centre[name] = (x + _BOX_W / 2, y + _BOX_H / 2)

    width = len(columns) * (_BOX_W + _GAP_X)
    height = tallest * (_BOX_H + _GAP_Y) + 1.0
    figure, axes = plt.subplots(figsize=(max(8, width * 0.6), max(4, height * 0.75)))
    for name, (cx, cy) in centre.items():
        for parent in stacks[name].depends_on:
            if parent in centre:
                px, py = centre[parent]
                axes.annotate(
                    "",
                    xy=(cx - _BOX_W / 2, cy),
                    xytext=(px + _BOX_W / 2, py),
                    arrowprops={"arrowstyle": "->", "color": "#475569", "lw": 1},
                    zorder=1,  # behind the boxes, so labels stay readable
                )
        stack = stacks[name]
        axes.add_patch(
            FancyBboxPatch(
                (cx - _BOX_W / 2, cy - _BOX_H / 2),
                _BOX_W,
                _BOX_H,
                boxstyle="round,pad=0.05",
                facecolor=colour[stack.region],
                edgecolor="#1e293b",
                zorder=2,
            )
        )
        axes.text(
            cx,
            cy,
            _label(stack, result.config.prefix),
            ha="center",
            va="center",
            fontsize=8,
            zorder=3,
        )
    for index, region in enumerate(regions):
        axes.add_patch(
            Rectangle((index * 2.6, height - 0.6), 0.3, 0.3, facecolor=colour[region], ec="k")
        )
        axes.text(index * 2.6 + 0.45, height - 0.45, region, va="center", fontsize=8)
    config = result.config
    axes.set_title(
        f"{config.prefix} at tier {config.tier.name}: {len(stacks)} stacks (arrows: uses)",
        fontsize=10,
    )
    axes.set_xlim(-0.5, width)
    axes.set_ylim(0, height)
    axes.axis("off")
    figure.tight_layout()
    figure.savefig(path, dpi=130)
    plt.close(figure)
