"""Each control's implementation status, and why, from the observations and the records.

In order: a control some check names is ``partial`` when a check of it fails unacknowledged
(a deviation's compensating mechanism gone included); a deviation recorded in a decision is
``alternative`` (the decision's paragraph is the statement); what AWS provides wholly is
``inherited`` (AWS's authorization is leveraged); ``alternative`` when a failure is acknowledged
with a compensating control, ``implemented`` when every check of it passes; a control nothing
answers is ``planned``, due a fixed number of days after the commit.
So nothing is ``implemented`` or ``partial`` without an observation that names it.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from evidence.catalog import DATA, moderate
from evidence.deviations import Deviation, recorded
from evidence.observations import ACKNOWLEDGED, FAIL, PASS, Observation

IMPLEMENTED, PARTIAL, ALTERNATIVE, PLANNED, INHERITED = (
    "implemented", "partial", "alternative", "planned", "inherited",
)  # fmt: skip
STATUSES = (IMPLEMENTED, PARTIAL, ALTERNATIVE, PLANNED, INHERITED)
MECHANISM_SOURCE = "pcs"


@cache
def responsibility() -> dict:
    """``evidence/data/responsibility.toml``: inherited and customer parts, the planned horizon."""
    return tomllib.loads((DATA / "responsibility.toml").read_text())


@dataclass(frozen=True)
class ControlStatus:
    control: str
    status: str
    remark: str
    checks: dict[str, tuple[str, ...]]  # result -> checks naming the control
    mechanism_checks: tuple[str, ...]  # the project's own rules naming it
    compensating: tuple[str, ...]  # acknowledgement reasons, or the deviation's statement
    deviation: Deviation | None
    inherited: str  # what AWS provides, or ""
    customer: str  # what the tenant configures, or ""
    planned_completion: datetime | None

    @property
    def origination(self) -> tuple[str, ...]:
        """FedRAMP control-origination values."""
        if self.status == INHERITED:
            return ("inherited",)
        return ("sp-system", "customer-configured") if self.customer else ("sp-system",)


def _inherited(control: str) -> str:
    table = responsibility()["inherited"]
    return table.get(control) or table.get(moderate()[control].family, "")


def statuses(observations: list[Observation], committed_at: datetime) -> dict[str, ControlStatus]:
    """Every baseline control's status, in catalog order."""
    checks: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    reasons: dict[str, set[str]] = defaultdict(set)
    mechanism: dict[str, set[str]] = defaultdict(set)
    for o in observations:
        for control in o.controls:
            checks[control][o.result].add(o.check)
            if o.result == ACKNOWLEDGED:
                reasons[control].add(o.reason)
            if o.source == MECHANISM_SOURCE:
                mechanism[control].add(o.check)
    due = committed_at + timedelta(days=responsibility()["planned_completion_days"])
    deviations = recorded()
    customer = responsibility()["customer"]
    found = {}
    for control in moderate():
        results = checks.get(control, {})
        deviation = deviations.get(control)
        inherited = _inherited(control)
        compensating = tuple(sorted(reasons.get(control, ())))
        if results.get(FAIL):
            status = PARTIAL
            remark = f"{len(results[FAIL])} check(s) of this control fail (see the POA&M)."
        elif deviation:
            status = ALTERNATIVE
            remark = f"Deviation recorded in {deviation.decision}: the values are not met as "
            remark += "written; the compensating controls are in the statement."
            compensating = (deviation.statement,)
        elif inherited:
            status, remark = INHERITED, f"Inherited from AWS: {inherited}"
        elif results.get(ACKNOWLEDGED):
            status = ALTERNATIVE
            remark = f"{len(results[ACKNOWLEDGED])} check(s) fail with a compensating control "
            remark += "acknowledged beside the resource (a POA&M risk adjustment)."
        elif results.get(PASS):
            status = IMPLEMENTED
            remark = f"Every one of the {len(results[PASS])} check(s) of this control passes."
        else:
            status = PLANNED
            remark = "No automated check reaches this control: its narrative needs a person, "
            remark += f"planned by {due.date().isoformat()}."
        found[control] = ControlStatus(
            control=control,
            status=status,
            remark=remark,
            checks={r: tuple(sorted(c)) for r, c in sorted(results.items())},
            mechanism_checks=tuple(sorted(mechanism.get(control, ()))),
            compensating=compensating,
            deviation=deviation,
            inherited=inherited,
            customer=customer.get(control, ""),
            planned_completion=due if status in (PLANNED, PARTIAL) else None,
        )
    return found
