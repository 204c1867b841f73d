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
    ):
        assert counts[resource_type] == 1, resource_type


def test_audit_archive_has_one_locked_bucket_and_a_stream_and_error_log_per_source(prod):
    counts = prod.stacks["pcs-prod-audit"].resource_types
    assert counts["AWS::S3::Bucket"] == 1
    assert counts["AWS::KinesisFirehose::DeliveryStream"] == 2  # application, sign-in
    assert counts["AWS::Logs::LogGroup"] == 1 + 2  # CloudTrail, one per stream


def test_audit_stack_deploys_in_the_primary_region(prod):
    assert prod.stacks["pcs-prod-audit"].region == "us-east-1"
