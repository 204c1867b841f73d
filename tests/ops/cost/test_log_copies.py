"""The 30-month log copies billed as AWS bills them: Firehose ingests the subscribed groups'
events as CloudWatch Logs sends them (gzip), the bucket holds them in Glacier Flexible
Retrieval. Figures worked out by hand with the fixed prices (a 1000-hour month)."""

from __future__ import annotations

from dataclasses import replace

from ops.cost.inventory import Inventory
from ops.cost.model import estimate
from tests.ops.cost.conftest import fixed_config

STREAM_ARN = "arn:aws:firehose:us-east-1:111111111111:deliverystream/pcs-prod-log-copies"


def _group(name: str) -> dict:
    return {
        "Type": "AWS::Logs::LogGroup",
        "Properties": {"LogGroupName": name, "RetentionInDays": 365},
    }


def _inventory() -> Inventory:
    primary = {
        "Resources": {
            "ApiLogs": _group("/ecs/pcs-prod/api"),
            "ApiLogsCopy": {
                "Type": "AWS::Logs::SubscriptionFilter",
                "Properties": {"LogGroupName": {"Ref": "ApiLogs"}, "DestinationArn": STREAM_ARN},
            },
            "LogCopiesStream": {
                "Type": "AWS::KinesisFirehose::DeliveryStream",
                "Properties": {"DeliveryStreamName": "pcs-prod-log-copies"},
            },
            "LogCopiesBucket": {
                "Type": "AWS::S3::Bucket",
                "Properties": {
                    "BucketName": "pcs-prod-log-copies-111111111111",
                    "LifecycleConfiguration": {
                        "Rules": [
                            {
                                "Status": "Enabled",
                                "Transitions": [{"StorageClass": "GLACIER", "TransitionInDays": 0}],
                                "ExpirationInDays": 913,
                            }
                        ]
                    },
                },
            },
        }
    }
    dr = {"Resources": {"ApiLogs": _group("/ecs/pcs-prod/api")}}
    return Inventory.from_templates({"primary": ("us-east-1", primary), "dr": ("us-west-2", dr)})


def _usage(fixed_usage, api_gb: float):
    logs = dict.fromkeys(fixed_usage.traffic.log_gb_per_month, 0.0) | {"api": api_gb}
    return replace(fixed_usage, traffic=replace(fixed_usage.traffic, log_gb_per_month=logs))


def _lines(fixed_prices, fixed_usage, api_gb: float) -> dict[str, float]:
    result = estimate(_inventory(), fixed_config(), fixed_prices, _usage(fixed_usage, api_gb))
    assert result.not_priced == ()
    totals: dict[str, float] = {}
    for line in result.lines:
        key = f"{line.resource}: {line.description}"
        totals[key] = round(totals.get(key, 0.0) + line.on_demand, 6)
    return totals


def test_copies_bill_firehose_on_the_gzip_volume_and_glacier_for_twelve_months(
    fixed_prices, fixed_usage
):
    # 100 GB of API logs a month, 15% after gzip: 15 GB a month through Firehose at $0.03;
    # at month 12 the bucket holds 12 x 15 = 180 GB in Glacier at $0.004.
    lines = _lines(fixed_prices, fixed_usage, api_gb=100)
    assert lines["primary/LogCopiesStream: 15.0 GB of log groups' events (gzip) ingested"] == 0.45
    assert lines["primary/LogCopiesBucket: log_copies: 180 GB in GLACIER"] == 0.72
    # The group itself: 100 GB ingested at $0.50, 180 GB (compressed) kept a year at $0.03.
    assert lines["primary/ApiLogs: api logs 100 GB ingested (Standard)"] == 50.0
    assert lines["primary/ApiLogs: api logs stored 180 GB (retention 365 d)"] == 5.4
    # The DR region's idle group ingests nothing, so it stores and copies nothing.
    assert lines["dr/ApiLogs: api logs 0 GB ingested (Standard)"] == 0.0


def test_a_group_without_a_subscription_is_not_copied(fixed_prices, fixed_usage):
    inventory = _inventory()
    unsubscribed = Inventory(tuple(r for r in inventory.resources if r.logical_id != "ApiLogsCopy"))
    result = estimate(unsubscribed, fixed_config(), fixed_prices, _usage(fixed_usage, 100))
    copies = [line for line in result.lines if "LogCopies" in line.resource]
    assert [(line.description, line.on_demand) for line in copies] == [
        ("0.0 GB of log groups' events (gzip) ingested", 0.0),
        ("log_copies: 0 GB in GLACIER", 0.0),
    ]
