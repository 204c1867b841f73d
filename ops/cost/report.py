"""The estimates as a terminal table, CSV rows and a JSON document."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from typing import Any

from ops.cost.lines import COMPONENTS
from ops.cost.model import Estimate
from ops.cost.spec import SPEC_TOTAL_ON_DEMAND, SPEC_TOTAL_RESERVED_3YR, spec_figure

CSV_FIELDS = (
    "env",
    "tier",
    "component",
    "on_demand",
    "one_year",
    "three_year",
    "spec",
    "difference",
)


def _usd(value: float | None) -> str:
    return "-" if value is None else f"${value:,.0f}"


def _signed(value: float | None) -> str:
    return "-" if value is None else f"{'+' if value >= 0 else '-'}${abs(value):,.0f}"


def component_rows(estimate: Estimate) -> list[dict[str, Any]]:
    """One row per component: the three prices, the spec's figure and on-demand minus spec."""
    rows = []
    for cost in estimate.components():
        spec = spec_figure(cost.component, estimate.tier)
        rows.append(
            {
                "env": estimate.environment,
                "tier": estimate.tier,
                "component": cost.component,
                "on_demand": round(cost.on_demand, 2),
                "one_year": round(cost.one_year, 2),
                "three_year": round(cost.three_year, 2),
                "spec": spec,
                "difference": None if spec is None else round(cost.on_demand - spec, 2),
            }
        )
    return rows


def render_table(estimates: list[Estimate]) -> str:
    """Per tier: each component on-demand, 1-yr, 3-yr, the spec's figure and the difference."""
    out = []
    for estimate in estimates:
        out.append(
            f"\n{estimate.environment} at tier {estimate.tier} — monthly USD, us-east-1 prices of "
            f"{estimate.price_snapshot} (spec: infrastructure-architecture.md §7)"
        )
        out.append(
            f"{'component':<24} {'on-demand':>10} {'1-yr':>10} {'3-yr':>10} {'spec §7':>9} "
            f"{'difference':>11}"
        )
        for row in component_rows(estimate):
            out.append(
                f"{row['component']:<24} {_usd(row['on_demand']):>10} {_usd(row['one_year']):>10} "
                f"{_usd(row['three_year']):>10} {_usd(row['spec']):>9} "
                f"{_signed(row['difference']):>11}"
            )
        spec_total = SPEC_TOTAL_ON_DEMAND.get(estimate.tier)
        spec_reserved = SPEC_TOTAL_RESERVED_3YR.get(estimate.tier)
        out.append(
            f"{'TOTAL':<24} {_usd(estimate.on_demand):>10} {_usd(estimate.one_year):>10} "
            f"{_usd(estimate.three_year):>10} {_usd(spec_total):>9} "
            f"{_signed(None if spec_total is None else estimate.on_demand - spec_total):>11}"
        )
        out.append(
            f"{'spec reserved 3-yr':<24} {'':>10} {'':>10} {_usd(spec_reserved):>10} {'':>9} "
            f"{_signed(None if spec_reserved is None else estimate.three_year - spec_reserved):>11}"
        )
        if estimate.not_priced:
            out.append(f"NOT PRICED ({len(estimate.not_priced)}):")
            out.extend(
                f"  not priced: {item.resource} ({item.resource_type}): {item.reason}"
                for item in estimate.not_priced
            )
        else:
            out.append("not priced: none")
    return "\n".join(out).lstrip("\n")


def render_csv(estimates: list[Estimate]) -> str:
    """Component rows of every estimate, then one 'not priced' row per unpriced resource."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[*CSV_FIELDS, "note"], lineterminator="\n")
    writer.writeheader()
    for estimate in estimates:
        for row in component_rows(estimate):
            writer.writerow({**row, "note": ""})
        writer.writerow(
            {
                "env": estimate.environment,
                "tier": estimate.tier,
                "component": "TOTAL",
                "on_demand": round(estimate.on_demand, 2),
                "one_year": round(estimate.one_year, 2),
                "three_year": round(estimate.three_year, 2),
                "spec": SPEC_TOTAL_ON_DEMAND.get(estimate.tier),
                "difference": round(estimate.on_demand - SPEC_TOTAL_ON_DEMAND[estimate.tier], 2)
                if estimate.tier in SPEC_TOTAL_ON_DEMAND
                else None,
                "note": "",
            }
        )
        for item in estimate.not_priced:
            writer.writerow(
                {
                    "env": estimate.environment,
                    "tier": estimate.tier,
                    "component": item.resource_type,
                    "note": f"not priced: {item.resource}: {item.reason}",
                }
            )
    return buffer.getvalue()


def to_json(estimates: list[Estimate]) -> str:
    """Everything: totals, components, each line item, not-priced and no-charge resources."""
    return json.dumps(
        [
            {
                "env": e.environment,
                "tier": e.tier,
                "price_snapshot": e.price_snapshot,
                "totals": {
                    "on_demand": round(e.on_demand, 2),
                    "one_year": round(e.one_year, 2),
                    "three_year": round(e.three_year, 2),
                    "spec_on_demand": SPEC_TOTAL_ON_DEMAND.get(e.tier),
                    "spec_reserved_3yr": SPEC_TOTAL_RESERVED_3YR.get(e.tier),
                },
                "components": component_rows(e),
                "lines": [asdict(line) for line in e.lines],
                "not_priced": [asdict(item) for item in e.not_priced],
                "no_charge": e.no_charge,
            }
            for e in estimates
        ],
        indent=2,
    )


def render_levers(savings: list) -> tuple[str, str]:
    """A table and CSV of (lever, base estimate, estimate with the lever): monthly differences."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["lever", "tier", "keeps_availability", "on_demand_change", "three_year_change", "note"]
    )
    lines = [f"{'lever':<24} {'tier':<5} {'on-demand':>11} {'3-yr':>11}  keeps availability"]
    for lever, base, changed in savings:
        on_demand = changed.on_demand - base.on_demand
        three_year = changed.three_year - base.three_year
        writer.writerow(
            [
                lever.name,
                base.tier,
                lever.keeps_availability,
                round(on_demand, 2),
                round(three_year, 2),
                lever.description,
            ]
        )
        lines.append(
            f"{lever.name:<24} {base.tier:<5} {_signed(on_demand):>11} {_signed(three_year):>11}  "
            f"{'yes' if lever.keeps_availability else 'NO'}"
        )
    return "\n".join(lines), buffer.getvalue()


# docs/cost.md's computed table lies between these lines; ``--doc`` rewrites what is between.
DOC_BEGIN = "<!-- generated by `python -m ops.cost --doc docs/cost.md`: do not edit by hand -->"
DOC_END = "<!-- end of generated table -->"


def render_doc_table(estimates: list[Estimate]) -> str:
    """Markdown: each component's on-demand dollars per tier, then the three totals."""
    tiers = [e.tier for e in estimates]
    by_tier = [{c.component: c.on_demand for c in e.components()} for e in estimates]
    order = {name: index for index, name in enumerate(COMPONENTS)}
    components = sorted({name for costs in by_tier for name in costs}, key=lambda n: order[n])
    header = "| Component | " + " | ".join(f"{tier} on demand" for tier in tiers) + " |"
    lines = [header, "| --- |" + " ---: |" * len(tiers)]
    for name in components:
        cells = [f"{costs[name]:,.0f}" if name in costs else "-" for costs in by_tier]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    for label, attribute in (
        ("**Total on demand**", "on_demand"),
        ("Total 1-yr commitments", "one_year"),
        ("Total 3-yr commitments", "three_year"),
    ):
        cells = [f"{getattr(e, attribute):,.0f}" for e in estimates]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    not_priced = sum(len(e.not_priced) for e in estimates)
    lines.append("")
    lines.append(
        f"{estimates[0].environment}, month 12, list prices of {estimates[0].price_snapshot}; "
        f"not priced: {not_priced or 'none'}."
    )
    return "\n".join(lines)


def _has_section(document: str, begin: str, end: str) -> bool:
    start = document.find(begin)
    return 0 <= start < document.find(end)


def _replace_section(document: str, begin: str, end: str, text: str) -> str:
    if not _has_section(document, begin, end):
        raise ValueError(f"the document has no {begin!r} ... {end!r} section")
    start, stop = document.find(begin), document.find(end)
    return f"{document[: start + len(begin)]}\n{text}\n{document[stop:]}"


def has_doc_table(document: str) -> bool:
    """Whether ``document`` has the generated section's two marker lines, in order."""
    return _has_section(document, DOC_BEGIN, DOC_END)


def replace_doc_table(document: str, estimates: list[Estimate]) -> str:
    """``document`` with the text between :data:`DOC_BEGIN` and :data:`DOC_END` regenerated."""
    return _replace_section(document, DOC_BEGIN, DOC_END, render_doc_table(estimates))


# docs/cost.md's before/after table of the levers applied (:data:`ops.cost.levers.APPLIED`).
LEVERS_BEGIN = (
    "<!-- generated by `python -m ops.cost --doc docs/cost.md`: levers, do not edit by hand -->"
)
LEVERS_END = "<!-- end of generated levers table -->"


def render_lever_doc_table(
    tiers: list[str], rows: list[tuple[str, dict[str, tuple[float, float] | None]]]
) -> str:
    """Markdown: per lever and tier, the on-demand total without the choice (before), with it
    (after: the computed table's total) and the change; "-" where the tier's configuration
    already lacks the choice (nothing to undo). ``rows``: (lever description, {tier: (before,
    after) or None})."""
    header = "| lever (priced by undoing it) | " + " | ".join(
        f"{tier} before | {tier} after | {tier} change" for tier in tiers
    )
    lines = [header + " |", "| --- |" + " ---: | ---: | ---: |" * len(tiers)]
    for description, by_tier in rows:
        cells = []
        for tier in tiers:
            pair = by_tier.get(tier)
            if pair is None:
                cells += ["-", "-", "-"]
                continue
            before, after = pair
            cells += [f"{before:,.2f}", f"{after:,.2f}", _signed_cents(after - before)]
        lines.append(f"| {description} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _signed_cents(value: float) -> str:
    return f"{'+' if value >= 0 else '-'}{abs(value):,.2f}"


def has_lever_table(document: str) -> bool:
    """Whether ``document`` has the levers section's two marker lines, in order."""
    return _has_section(document, LEVERS_BEGIN, LEVERS_END)


def replace_lever_table(document: str, table: str) -> str:
    """``document`` with the text between :data:`LEVERS_BEGIN` and :data:`LEVERS_END` replaced
    by ``table``."""
    return _replace_section(document, LEVERS_BEGIN, LEVERS_END, table)
