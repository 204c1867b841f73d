"""How the platform meets each part of a control, in words generated from what answers it.

Per part of the control's statement (its items a, b, ...): the parameter values the templates fix
that the part inserts, then what answers the whole control (the recorded deviation, AWS's
inheritance, or the checks of its mechanism, the project's rules first, in their own words), then
the decision records that name the control. Nothing here is written per control by hand.
"""

from __future__ import annotations

import re
from functools import cache

from evidence.catalog import Part, inserted_parameters, moderate, parameter_labels
from evidence.deviations import DECISIONS
from evidence.observations import Observation
from evidence.status import ALTERNATIVE, INHERITED, MECHANISM_SOURCE, ControlStatus

_LABEL = re.compile(r"\b([A-Z]{2}-\d+(?:\(\d+\))?)")
_SHOWN = 6  # checks named in a statement


@cache
def decisions_naming() -> dict[str, tuple[tuple[str, str], ...]]:
    """Control -> (decision record path, its title) for each record that names the control."""
    by_label = {c.label: c.id for c in moderate().values()}
    found: dict[str, list[tuple[str, str]]] = {}
    for path in sorted(DECISIONS.glob("*.md")):
        text = path.read_text()
        title = text.splitlines()[0].removeprefix("# ").strip()
        for label in dict.fromkeys(_LABEL.findall(text)):
            if label in by_label:
                found.setdefault(by_label[label], []).append((f"docs/decisions/{path.name}", title))
    return {control: tuple(records) for control, records in found.items()}


def describe(o: Observation) -> str:
    """A check in words: the project's rules state the mechanism; cdk-nag's text is the finding
    it reports on failure, so it is quoted as such."""
    title = (o.title or o.check).rstrip(".")
    return title if o.source == MECHANISM_SOURCE else f'{o.check} (finding: "{title}")'


def narrative(status: ControlStatus, titles: dict[str, str]) -> str:
    """How the platform meets the control, in words, from what answers it: the decision's
    deviation, AWS's inheritance, or the checks of its mechanism (the project's rules first)."""
    if status.deviation:
        return status.deviation.statement
    if status.status == INHERITED:
        return f"Inherited from AWS under its FedRAMP authorization: {status.inherited}"
    checks = status.mechanism_checks or tuple(
        sorted({c for found in status.checks.values() for c in found})
    )
    if not checks:
        return (
            "Not yet described: no template carries this control, so its implementation is "
            "written by the system owner (planned, see the requirement's completion date)."
        )
    said = "; ".join(dict.fromkeys(titles.get(c, c).rstrip(".") for c in checks[:_SHOWN]))
    more = f" (and {len(checks) - _SHOWN} more checks)" if len(checks) > _SHOWN else ""
    text = "For this control the deployed configuration does this, each checked in the "
    text += f"synthesized templates: {said}{more}."
    if status.compensating and status.status == ALTERNATIVE:
        text += " Where a check fails, the compensating control recorded beside the resource "
        text += f"applies: {status.compensating[0]}"
    if status.customer:
        text += f" Customer responsibility: {status.customer}"
    return text


def part_text(
    part: Part,
    status: ControlStatus,
    values: dict[str, list[str]],
    titles: dict[str, str],
) -> str:
    """One part's by-component text: its parameters as deployed, how, and the decisions."""
    labels = parameter_labels()
    fixed = [
        f"{labels.get(param, param).split(' (one of')[0]}: {'; '.join(values[param])}"
        for param in inserted_parameters(part.prose)
        if param in values
    ]
    sentences = [f"Part {part.label.strip('.()')}." if part.label else ""]
    if fixed:
        sentences.append("As deployed, " + "; ".join(fixed) + ".")
    sentences.append(narrative(status, titles))
    records = decisions_naming().get(status.control, ())
    if records:
        sentences.append(
            "Decisions: " + "; ".join(f"{title} ({path})" for path, title in records) + "."
        )
    return " ".join(s for s in sentences if s)
