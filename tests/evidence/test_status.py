"""Implementation status in the SSP: a control is implemented only on the evidence of a check."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from evidence.observations import ACKNOWLEDGED, FAIL, PASS, Observation
from evidence.status import statuses
from tests.evidence.conftest import read_csv

_FEDRAMP = "https://fedramp.gov/ns/oscal"


def _ssp(package_dir: Path) -> dict:
    path = package_dir / "oscal/system-security-plans/pcs/system-security-plan.json"
    return json.loads(path.read_text())["system-security-plan"]


def _statuses(package_dir: Path) -> dict[str, str]:
    """The SSP's status of each control; "inherited" where it originates with AWS (FedRAMP writes
    that as implemented, with the leveraged authorization)."""
    requirements = _ssp(package_dir)["control-implementation"]["implemented-requirements"]
    found = {}
    for r in requirements:
        fedramp = {p["name"]: p["value"] for p in r["props"] if p.get("ns") == _FEDRAMP}
        inherited = fedramp["control-origination"] == "inherited"
        found[r["control-id"]] = "inherited" if inherited else fedramp["implementation-status"]
    return found


def test_no_control_is_implemented_or_partial_without_an_observation_naming_it(package_dir):
    observed = {
        control
        for row in read_csv(package_dir / "observations.csv")
        for control in row["controls"].split()
    }
    claimed = {
        control
        for control, status in _statuses(package_dir).items()
        if status in ("implemented", "partial")
    }
    assert sorted(claimed - observed) == []


def test_ac7_is_not_implemented_while_its_decision_says_the_values_are_not_met(package_dir):
    decision = Path(__file__).resolve().parents[2] / "docs/decisions/identity-cognito.md"
    assert "**not met literally**" in decision.read_text()
    assert _statuses(package_dir)["ac-7"] != "implemented"


def test_ac7_is_an_alternative_with_the_decision_as_statement_and_a_poam_item(package_dir):
    requirement = next(
        r
        for r in _ssp(package_dir)["control-implementation"]["implemented-requirements"]
        if r["control-id"] == "ac-7"
    )
    statement = " ".join(b["description"] for b in requirement["by-components"])
    assert "3 attempts in 15 minutes, lock 30 minutes" in statement
    assert "MFA is required, so a guessed password alone opens nothing" in statement
    poam = json.loads(
        (
            package_dir
            / "oscal/plan-of-action-and-milestones/pcs/plan-of-action-and-milestones.json"
        ).read_text()
    )
    titles = [i["title"] for i in poam["plan-of-action-and-milestones"]["poam-items"]]
    assert (
        "AC-7 Unsuccessful Logon Attempts: deviation recorded in "
        "docs/decisions/identity-cognito.md" in titles
    )


def test_the_controls_table_gives_status_and_the_customer_responsibility(package_dir):
    rows = {r["control"]: r for r in read_csv(package_dir / "controls.csv")}
    assert rows["PE-3"]["status"] == "inherited"
    assert rows["PE-3"]["origination"] == "inherited"
    assert rows["MA-4"]["status"] != "inherited"  # nonlocal maintenance is the platform's
    assert rows["IA-2"]["origination"] == "sp-system customer-configured"
    assert "identity provider require MFA" in rows["IA-2"]["customer responsibility"]


def _observation(check: str, result: str, controls: tuple[str, ...], source: str = "pcs"):
    return Observation(
        check=check, source=source, title="", controls=controls, stack="s", logical_id="r",
        resource_type="AWS::S3::Bucket", result=result,
        reason="compensating control named here" if result == ACKNOWLEDGED else "",
        property_path="Properties.X", value="1", template_sha256="0",
    )  # fmt: skip


_COMMITTED = datetime(2026, 12, 1, tzinfo=UTC)


def test_status_follows_the_worst_result_and_nothing_is_implemented_unobserved():
    found = statuses(
        [
            _observation("A", PASS, ("au-9", "sc-8", "sc-28")),
            _observation("B", FAIL, ("sc-8",)),
            _observation("C", ACKNOWLEDGED, ("sc-28",)),
        ],
        _COMMITTED,
    )
    assert found["au-9"].status == "implemented"
    assert found["au-9"].mechanism_checks == ("A",)
    assert found["sc-8"].status == "partial"
    assert found["sc-28"].status == "alternative"
    assert found["sc-28"].compensating == ("compensating control named here",)
    assert found["au-11"].status == "planned"
    assert found["au-11"].planned_completion == datetime(2027, 3, 1, tzinfo=UTC)  # 90 days
    assert found["sc-8"].planned_completion == found["au-11"].planned_completion
    assert found["pe-3"].status == "inherited"
    # A recorded deviation outranks passing checks.
    assert statuses([_observation("D", PASS, ("ac-7",))], _COMMITTED)["ac-7"].status == (
        "alternative"
    )
