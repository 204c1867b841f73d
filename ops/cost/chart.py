"""A PNG of the estimates: per tier, the computed cost stacked by component beside the spec's."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display: write files only

import matplotlib.pyplot as plt
from matplotlib.ticker import StrMethodFormatter

from ops.cost.lines import COMPONENTS
from ops.cost.model import Estimate
from ops.cost.spec import SPEC_MONTHLY, SPEC_TOTAL_ON_DEMAND

OTHER = "other (each < 3% of its bar)"
SMALL_SHARE = 0.03
GREY = (0.8, 0.8, 0.8)


def _stack(parts: dict[str, float]) -> dict[str, float]:
    """Components in the spec's order, those under 3% of the bar folded into one 'other'."""
    total = sum(parts.values()) or 1
    order = {name: index for index, name in enumerate(COMPONENTS)}
    kept = {
        name: value
        for name, value in sorted(parts.items(), key=lambda item: order.get(item[0], 99))
        if value / total >= SMALL_SHARE
    }
    rest = sum(value for name, value in parts.items() if name not in kept)
    return {**kept, OTHER: rest} if rest else kept


def _bars(estimate: Estimate) -> list[tuple[str, dict[str, float], float]]:
    computed = {c.component: c.on_demand for c in estimate.components()}
    bars = [("computed", _stack(computed), estimate.on_demand)]
    if estimate.tier in SPEC_TOTAL_ON_DEMAND:
        spec = {name: rows[estimate.tier] for name, rows in SPEC_MONTHLY.items()}
        bars.append(("spec §7", _stack(spec), SPEC_TOTAL_ON_DEMAND[estimate.tier]))
    return bars


def write_chart(estimates: list[Estimate], path: Path) -> None:
    """One panel per tier (own scale): the model's on-demand stack beside the spec's §7 stack."""
    panels = [(estimate.tier, _bars(estimate)) for estimate in estimates]
    # tab20 then tab20b: enough distinct colours for every component.
    palette = [*plt.get_cmap("tab20").colors, *plt.get_cmap("tab20b").colors]
    colors = {name: palette[index % len(palette)] for index, name in enumerate(COMPONENTS)}
    colors[OTHER] = GREY
    figure, axes_row = plt.subplots(
        1, len(panels), figsize=(4.2 * len(panels) + 3.5, 6.5), squeeze=False
    )
    used: dict[str, None] = {}
    for axes, (tier, bars) in zip(axes_row[0], panels, strict=True):
        for x, (_label, parts, total) in enumerate(bars):
            bottom = 0.0
            for name, value in parts.items():
                axes.bar(x, value, bottom=bottom, color=colors[name], edgecolor="white", width=0.7)
                bottom += value
                used[name] = None
            axes.text(x, total, f"${total:,.0f}", ha="center", va="bottom", fontsize=10)
        axes.set_xticks(range(len(bars)), [label for label, _, _ in bars])
        axes.set_title(f"tier {tier}")
        axes.yaxis.set_major_formatter(StrMethodFormatter("${x:,.0f}"))
        axes.margins(y=0.08)
    axes_row[0][0].set_ylabel("USD per month, on-demand")
    names = [name for name in [*COMPONENTS, OTHER] if name in used]
    handles = [plt.Rectangle((0, 0), 1, 1, color=colors[name]) for name in names]
    figure.legend(handles, names, loc="center right", fontsize=9, frameon=False, borderaxespad=0.5)
    env = estimates[0].environment if estimates else ""
    snapshot = estimates[0].price_snapshot if estimates else ""
    figure.suptitle(
        f"PCS Platform {env}: monthly cost computed from the synthesized templates "
        f"(us-east-1 prices of {snapshot}) vs the spec's §7 table"
    )
    figure.tight_layout(rect=(0, 0, 0.85, 0.95))
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
