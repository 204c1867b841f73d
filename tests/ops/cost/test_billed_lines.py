"""Issue 26: what the templates enable and the model did not bill, each with its exact figure
(fixed prices, a 1000-hour month; the standby region's activity at the fixture's 25% share)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from infra.config import IdentityConfig
from ops.cost.inventory import Inventory
from ops.cost.model import estimate
from tests.ops.cost.conftest import fixed_config

PRIMARY, DR = "us-east-1", "us-west-2"


def _by_stack_and_description(fixed_prices, usage, templates, config=None) -> dict:
    inventory = Inventory.from_templates(templates)
    result = estimate(inventory, config or fixed_config(), fixed_prices, usage)
    assert result.not_priced == ()
    return {
        (line.resource.split("/")[0], line.description): round(line.on_demand, 6)
        for line in result.lines
    }


def _traffic(fixed_usage, **changes):
    return replace(fixed_usage, traffic=replace(fixed_usage.traffic, **changes))


def _both_regions(resource: dict) -> dict:
    return {
        "pcs-prod-audit": (PRIMARY, {"Resources": {"R": resource}}),
        "pcs-prod-dr-audit": (DR, {"Resources": {"R": resource}}),
    }


def test_guardduty_bills_s3_protection_and_the_standby_region_at_its_share(
    fixed_prices, fixed_usage
):
    detector = {
        "Type": "AWS::GuardDuty::Detector",
        "Properties": {"Features": [{"Name": "S3_DATA_EVENTS", "Status": "ENABLED"}]},
    }
    usage = _traffic(
        fixed_usage,
        cloudtrail_management_events_million=2,
        flow_log_gb_per_month=10,
        s3_data_events_million=5,
    )
    lines = _by_stack_and_description(fixed_prices, usage, _both_regions(detector))
    # 5 M S3 data events at $0.80; the standby region's activity a quarter of each volume.
    assert lines[("pcs-prod-audit", "GuardDuty: S3 Protection (S3 data events)")] == 4.0
    assert lines[("pcs-prod-dr-audit", "GuardDuty: S3 Protection (S3 data events)")] == 1.0
    assert lines[("pcs-prod-audit", "GuardDuty: CloudTrail management events")] == 8.0
    assert lines[("pcs-prod-dr-audit", "GuardDuty: CloudTrail management events")] == 2.0
    assert lines[("pcs-prod-dr-audit", "GuardDuty: VPC flow and DNS logs")] == 2.5


def _regions_with(resource: dict, *, primary_extra: int, standby_extra: int) -> dict:
    """``resource`` in each region beside that many other (free) resources, and one CDK
    custom resource in the standby region that the resource share leaves out."""
    alias = {"Type": "AWS::KMS::Alias", "Properties": {}}
    custom = {"Type": "Custom::CrossRegionExportReader", "Properties": {}}
    return {
        "pcs-prod-audit": (
            PRIMARY,
            {"Resources": {"R": resource} | {f"A{i}": alias for i in range(primary_extra)}},
        ),
        "pcs-prod-dr-audit": (
            DR,
            {
                "Resources": {"R": resource, "C": custom}
                | {f"A{i}": alias for i in range(standby_extra)}
            },
        ),
    }


def test_config_and_security_hub_bill_the_standby_region_by_what_it_carries(
    fixed_prices, fixed_usage
):
    usage = _traffic(
        fixed_usage,
        config_items_per_month=1000,
        config_rule_evaluations_per_month=10_000,
        securityhub_checks_per_month=10_000,
    )
    recorder = {"Type": "AWS::Config::ConfigurationRecorder", "Properties": {}}
    # 2 resources in the standby region against 4 in the primary: half the evaluations.
    templates = _regions_with(recorder, primary_extra=3, standby_extra=1)
    lines = _by_stack_and_description(fixed_prices, usage, templates)
    assert lines[("pcs-prod-audit", "Config: configuration items")] == 3.0
    # Configuration items follow activity: the fixture's standby_activity_share of 25%.
    assert lines[("pcs-prod-dr-audit", "Config: configuration items")] == 0.75
    assert lines[("pcs-prod-audit", "Config: rule evaluations")] == 10.0
    assert lines[("pcs-prod-dr-audit", "Config: rule evaluations")] == 5.0
    hub = {"Type": "AWS::SecurityHub::Hub", "Properties": {}}
    # 1 standby resource against 4 primary ones: a quarter of the checks.
    hubs = _regions_with(hub, primary_extra=3, standby_extra=0)
    lines = _by_stack_and_description(fixed_prices, usage, hubs)
    assert lines[("pcs-prod-audit", "Security Hub: security checks")] == 10.0
    assert lines[("pcs-prod-dr-audit", "Security Hub: security checks")] == 2.5


def test_the_audit_archive_bucket_grows_with_the_audit_events(fixed_prices, fixed_usage):
    # 10 M requests x 1 event x 1 KB = 10 GB a month, 15% after gzip: 1.5 GB; at month 12 all
    # of it (18 GB) is younger than the 365 days it stays in Standard ($0.02).
    bucket = {
        "Type": "AWS::S3::Bucket",
        "Properties": {
            "LifecycleConfiguration": {
                "Rules": [
                    {
                        "Status": "Enabled",
                        "Transitions": [{"StorageClass": "GLACIER", "TransitionInDays": 365}],
                        "ExpirationInDays": 913,
                    }
                ]
            }
        },
    }
    templates = {"pcs-prod-audit": (PRIMARY, {"Resources": {"ArchiveBucket": bucket}})}
    usage = _traffic(fixed_usage, requests_per_month=10_000_000)
    lines = _by_stack_and_description(fixed_prices, usage, templates)
    assert lines == {("pcs-prod-audit", "audit_archive: 18 GB in STANDARD"): 0.36}


@pytest.mark.parametrize(("status", "billed"), [("Enabled", True), ("Disabled", False)])
def test_replication_time_control_bills_each_replicated_gb(
    fixed_prices, fixed_usage, status, billed
):
    bucket = {
        "Type": "AWS::S3::Bucket",
        "Properties": {
            "BucketName": "pcs-prod-backups-111111111111",
            "ReplicationConfiguration": {
                "Rules": [
                    {
                        "Destination": {
                            "Bucket": "arn:aws:s3:::pcs-prod-backups-replica-111111111111",
                            "ReplicationTime": {"Status": status, "Time": {"Minutes": 15}},
                        }
                    }
                ]
            },
        },
    }
    growth = dict.fromkeys(fixed_usage.traffic.s3_growth_gb_per_month, 0.0) | {"backups": 30}
    usage = _traffic(fixed_usage, s3_growth_gb_per_month=growth)
    templates = {"pcs-prod-data": (PRIMARY, {"Resources": {"Backups": bucket}})}
    lines = _by_stack_and_description(fixed_prices, usage, templates)
    assert lines[("pcs-prod-data", "backups: replication to the DR region")] == 0.6
    rtc = lines.get(("pcs-prod-data", "backups: Replication Time Control"))
    assert rtc == (0.45 if billed else None)  # 30 GB x $0.015


def test_route_53_arc_is_not_priced_because_the_platform_uses_none(fixed_prices, fixed_usage):
    # The DR readiness check is the platform's own scheduled function (free tier), not ARC.
    check = {"Type": "AWS::Route53RecoveryReadiness::ReadinessCheck", "Properties": {}}
    inventory = Inventory.from_templates({"pcs-prod-dr": (PRIMARY, {"Resources": {"C": check}})})
    result = estimate(inventory, fixed_config(), fixed_prices, fixed_usage)
    assert [item.reason for item in result.not_priced] == ["no pricing rule for this type"]


@pytest.mark.parametrize(
    ("destination", "billed"),
    [
        ("arn:aws:s3:::aws-waf-logs-pcs-prod-111111111111", 25.0),
        ("arn:aws:logs:us-east-1:111111111111:log-group:aws-waf-logs-pcs-prod-edge", None),
    ],
)
def test_waf_logs_straight_to_s3_bill_vended_delivery_per_gb(
    fixed_prices, fixed_usage, destination, billed
):
    logging = {
        "Type": "AWS::WAFv2::LoggingConfiguration",
        "Properties": {"ResourceArn": "acl", "LogDestinationConfigs": [destination]},
    }
    logs = dict.fromkeys(fixed_usage.traffic.log_gb_per_month, 0.0) | {"waf": 100}
    usage = _traffic(fixed_usage, log_gb_per_month=logs)
    templates = {"pcs-prod-edge": (PRIMARY, {"Resources": {"Logging": logging}})}
    lines = _by_stack_and_description(fixed_prices, usage, templates)
    # 100 GB of WAF records at $0.25 delivered to S3 (CloudWatch ingestion would be $0.50).
    assert lines.get(("pcs-prod-edge", "WAF logs delivered to S3 (vended)")) == billed


def test_the_waf_log_bucket_holds_a_warm_year_of_compressed_records(fixed_prices, fixed_usage):
    bucket = {
        "Type": "AWS::S3::Bucket",
        "Properties": {
            "BucketName": "aws-waf-logs-pcs-prod-111111111111",
            "LifecycleConfiguration": {
                "Rules": [
                    {
                        "Status": "Enabled",
                        "Transitions": [
                            {"StorageClass": "GLACIER_IR", "TransitionInDays": 90},
                            {"StorageClass": "GLACIER", "TransitionInDays": 365},
                        ],
                        "ExpirationInDays": 913,
                    }
                ]
            },
        },
    }
    logs = dict.fromkeys(fixed_usage.traffic.log_gb_per_month, 0.0) | {"waf": 100}
    usage = _traffic(fixed_usage, log_gb_per_month=logs)
    templates = {"pcs-prod-foundation": (PRIMARY, {"Resources": {"WafLogs": bucket}})}
    lines = _by_stack_and_description(fixed_prices, usage, templates)
    # 100 GB a month gzip to 15 GB; at month 12 (365 days) 90 days of it in Standard ($0.02)
    # and 275 in Glacier Instant Retrieval ($0.01); nothing has reached the cold class yet.
    assert lines == {
        ("pcs-prod-foundation", "edge_logs: 44.3836 GB in STANDARD"): 0.887671,
        ("pcs-prod-foundation", "edge_logs: 135.616 GB in GLACIER_IR"): 1.356164,
    }


def _cdn_destination(arn: str) -> dict:
    return {
        "Type": "AWS::Logs::DeliveryDestination",
        "Properties": {"Name": "pcs-prod-cdn-access", "DestinationResourceArn": arn},
    }


@pytest.mark.parametrize(
    ("destination", "billed"),
    [
        ("arn:aws:s3:::aws-waf-logs-pcs-prod-111111111111", 10.0),
        ("arn:aws:logs:us-east-1:111111111111:log-group:/aws/cloudfront/pcs-prod", None),
    ],
)
def test_cloudfront_logs_to_s3_bill_vended_delivery_per_gb(
    fixed_prices, fixed_usage, destination, billed
):
    logs = dict.fromkeys(fixed_usage.traffic.log_gb_per_month, 0.0) | {"cdn": 40}
    usage = _traffic(fixed_usage, log_gb_per_month=logs)
    resources = {"Destination": _cdn_destination(destination)}
    lines = _by_stack_and_description(
        fixed_prices, usage, {"pcs-prod-edge": (PRIMARY, {"Resources": resources})}
    )
    # 40 GB of CloudFront standard logs at $0.25 vended to S3 (a log group bills them instead).
    assert lines.get(("pcs-prod-edge", "cdn logs delivered to S3 (vended)")) == billed


def test_the_edge_log_bucket_also_holds_cloudfronts_logs_delivered_to_s3(fixed_prices, fixed_usage):
    bucket = {
        "Type": "AWS::S3::Bucket",
        "Properties": {"BucketName": "aws-waf-logs-pcs-prod-111111111111"},
    }
    logs = dict.fromkeys(fixed_usage.traffic.log_gb_per_month, 0.0) | {"waf": 60, "cdn": 40}
    usage = _traffic(fixed_usage, log_gb_per_month=logs)
    templates = {
        "pcs-prod-foundation": (PRIMARY, {"Resources": {"WafLogs": bucket}}),
        "pcs-prod-edge": (
            PRIMARY,
            {"Resources": {"D": _cdn_destination("arn:aws:s3:::aws-waf-logs-pcs-prod-1")}},
        ),
    }
    lines = _by_stack_and_description(fixed_prices, usage, templates)
    # (60 + 40) GB a month gzip to 15 GB; 12 months of it in Standard at $0.02.
    assert lines[("pcs-prod-foundation", "edge_logs: 180 GB in STANDARD")] == 3.6


def test_the_standby_user_pool_bills_no_monthly_active_user(fixed_prices, fixed_usage):
    pool = {"Type": "AWS::Cognito::UserPool", "Properties": {"UserPoolTier": "PLUS"}}
    templates = {
        "pcs-prod-identity": (PRIMARY, {"Resources": {"Users": pool}}),
        "pcs-prod-dr-identity": (DR, {"Resources": {"Users": pool}}),
    }
    config = replace(fixed_config(), identity=IdentityConfig(monthly_active_user_share=0.5))
    usage = _traffic(fixed_usage, users=1000)
    lines = _by_stack_and_description(fixed_prices, usage, templates, config)
    # 500 MAU at $0.02 in the primary; the standby signs nobody in.
    assert lines == {
        ("pcs-prod-identity", "500 monthly active users (50% of 1,000), plus plan"): 10.0,
        ("pcs-prod-dr-identity", "0 monthly active users (50% of 1,000), plus plan"): 0.0,
    }
