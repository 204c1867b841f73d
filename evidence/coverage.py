"""How much of the Moderate baseline the automated checks reach, computed from the observations."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from evidence.catalog import families, key_security_indicators, moderate
from evidence.observations import Observation


@dataclass(frozen=True)
class FamilyCoverage:
    family: str
    controls: int
    checked: int


@dataclass(frozen=True)
class Coverage:
    families: tuple[FamilyCoverage, ...]
    checks_by_control: dict[str, tuple[str, ...]]
    checks_by_ksi: dict[str, tuple[str, ...]]

    @property
    def controls(self) -> int:
        return sum(f.controls for f in self.families)

    @property
    def checked(self) -> int:
        return sum(f.checked for f in self.families)


def compute(observations: list[Observation]) -> Coverage:
    """Controls with at least one automated check, per family; the checks behind each KSI."""
    checks: dict[str, set[str]] = defaultdict(set)
    for observation in observations:
        for control in observation.controls:
            checks[control].add(observation.check)
    baseline = moderate()
    rows = tuple(
        FamilyCoverage(
            family=family,
            controls=sum(1 for c in baseline.values() if c.family == family),
            checked=sum(1 for c in baseline.values() if c.family == family and c.id in checks),
        )
        for family in families()
    )
    by_ksi = {
        # .get: indexing the defaultdict would add every KSI's controls as "checked".
        ksi.id: tuple(
            sorted({check for control in ksi.controls for check in checks.get(control, ())})
        )
        for ksi in key_security_indicators()
    }
    return Coverage(
        families=rows,
        checks_by_control={c: tuple(sorted(checks[c])) for c in baseline if c in checks},
        checks_by_ksi=by_ksi,
    )
