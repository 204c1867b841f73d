"""Security Hub with consolidated findings and the NIST 800-53 Rev 5 standard only."""

from __future__ import annotations

from tests.infra.conftest import resources


def test_hub_enables_no_default_standards_and_consolidates_control_findings(prod):
    (hub,) = resources(prod, "audit", "AWS::SecurityHub::Hub").values()
    assert hub["Properties"]["EnableDefaultStandards"] is False
    assert hub["Properties"]["ControlFindingGenerator"] == "SECURITY_CONTROL"
    assert hub["Properties"]["AutoEnableControls"] is True


def test_nist_800_53_rev_5_standard_is_enabled_in_the_primary_region(prod):
    (standard,) = resources(prod, "audit", "AWS::SecurityHub::Standard").values()
    arn = standard["Properties"]["StandardsArn"]["Fn::Join"][1]
    assert "".join(part for part in arn if isinstance(part, str)) == (
        "arn::securityhub:us-east-1::standards/nist-800-53/v/5.0.0"
    )


def test_standard_waits_for_the_hub(prod):
    ((hub_id, _),) = resources(prod, "audit", "AWS::SecurityHub::Hub").items()
    (standard,) = resources(prod, "audit", "AWS::SecurityHub::Standard").values()
    assert hub_id in standard["DependsOn"]
