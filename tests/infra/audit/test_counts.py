"""Resource counts of the audit stack, so a silent removal fails."""

from __future__ import annotations


def test_audit_stack_has_one_of_each_security_service(prod):
    counts = prod.stacks["pcs-prod-audit"].resource_types
    for resource_type in (
        "AWS::CloudTrail::Trail",
        "AWS::GuardDuty::Detector",
        "AWS::Config::ConfigurationRecorder",
        "AWS::Config::DeliveryChannel",
        "AWS::Config::ConformancePack",
        "AWS::SecurityHub::Hub",
        "AWS::SecurityHub::Standard",
        "AWS::Logs::LogGroup",
    ):
        assert counts[resource_type] == 1, resource_type


def test_audit_stack_deploys_in_the_primary_region(prod):
    assert prod.stacks["pcs-prod-audit"].region == "us-east-1"
