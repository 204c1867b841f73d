"""A PNG of the estimates: per tier, the computed cost stacked by component beside the spec's."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display: write files only

import matplotlib.pyplot as plt

from ops.cost.model import Estimate
from ops.cost.spec import SPEC_MONTHLY, SPEC_TOTAL_ON_DEMAND

OTHER = "other (each < 3% of its bar)"
SMALL_SHARE = 0.03


def _stack(parts: dict[str, float]) -> dict[str, float]:
    total = sum(parts.values()) or 1
    kept = {name: value for name, value in parts.items() if value / total >= SMALL_SHARE}
    rest = sum(value for name, value in parts.items() if name not in kept)
    return {**kept, OTHER: rest} if rest else kept


def write_chart(estimates: list[Estimate], path: Path) -> None:
    """Stacked bars: for each tier the model's on-demand cost and the spec's §7 figures."""
    bars: list[tuple[str, dict[str, float], float]] = []
    for estimate in estimates:
        computed = {c.component: c.on_demand for c in estimate.components()}
        bars.append((f"{estimate.tier}\ncomputed", _stack(computed), estimate.on_demand))
        if estimate.tier in SPEC_TOTAL_ON_DEMAND:
            spec = {name: rows[estimate.tier] for name, rows in SPEC_MONTHLY.items()}
            bars.append(
                (f"{estimate.tier}\nspec §7", _stack(spec), SPEC_TOTAL_ON_DEMAND[estimate.tier])
            )
    names = list(dict.fromkeys(name for _, parts, _ in bars for name in parts))
    palette = plt.get_cmap("tab20").colors
    colors = {name: palette[index % len(palette)] for index, name in enumerate(names)}
    colors[OTHER] = (0.8, 0.8, 0.8)

    figure, axes = plt.subplots(figsize=(max(8, 1.6 * len(bars) + 4), 7))
    positions = []
    for index, (_label, parts, total) in enumerate(bars):
        x = index + (index // 2) * 0.5  # a gap between tiers
        positions.append(x)
        bottom = 0.0
        for name, value in parts.items():
            axes.bar(x, value, bottom=bottom, color=colors[name], edgecolor="white", width=0.8)
            bottom += value
        axes.text(x, total, f"${total:,.0f}", ha="center", va="bottom", fontsize=9)
    axes.set_xticks(positions, [label for label, _, _ in bars])
    axes.set_ylabel("USD per month (on-demand)")
    env = estimates[0].environment if estimates else ""
    axes.set_title(f"PCS Platform {env}: monthly cost computed from the templates vs the spec's §7")
    handles = [plt.Rectangle((0, 0), 1, 1, color=colors[name]) for name in names]
    axes.legend(
        handles, names, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False
    )
    axes.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("${x:,.0f}"))
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120)
    plt.close(figure)
