"""Deviations the project recorded in its decision records, by control.

A decision record states a deviation in one paragraph that ends "Recorded as a deviation for
the SSP (AC-7)."; that paragraph (what is not met, and the compensating controls) becomes the
control's statement in the SSP and a POA&M item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from evidence.catalog import control_ids

DECISIONS = Path(__file__).resolve().parents[1] / "docs" / "decisions"
_MARKER = re.compile(r"Recorded as a deviation for the SSP \(([^)]*)\)")


@dataclass(frozen=True)
class Deviation:
    control: str  # OSCAL id
    decision: str  # path relative to the repository, e.g. docs/decisions/identity-cognito.md
    statement: str  # the paragraph, as plain text


@cache
def recorded() -> dict[str, Deviation]:
    """Every recorded deviation, by control."""
    found = {}
    for path in sorted(DECISIONS.glob("*.md")):
        for paragraph in path.read_text().split("\n\n"):
            marker = _MARKER.search(paragraph)
            if not marker:
                continue
            text = " ".join(paragraph.replace("**", "").split())
            for control in control_ids(f"Control IDs: {marker.group(1)}"):
                found[control] = Deviation(control, f"docs/decisions/{path.name}", text)
    return found
