"""Documents billed as S3 bills them (issue 26): current versions in Intelligent-Tiering by the
tier an unread object reaches, superseded versions kept 7 years (a month as they were, then
Deep Archive). Figures worked out by hand with the fixed prices."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ops.cost.inventory import Inventory
from ops.cost.model import estimate
from tests.ops.cost.conftest import fixed_config

MONTH = 365 / 12  # days
DOCUMENTS = {
    "Type": "AWS::S3::Bucket",
    "Properties": {
        "BucketName": "pcs-prod-documents-111111111111",
        "LifecycleConfiguration": {
            "Rules": [
                {
                    "Status": "Enabled",
                    "Transitions": [{"StorageClass": "INTELLIGENT_TIERING", "TransitionInDays": 0}],
                    "NoncurrentVersionTransitions": [
                        {"StorageClass": "DEEP_ARCHIVE", "TransitionInDays": 30}
                    ],
                    "NoncurrentVersionExpiration": {"NoncurrentDays": 2555},
                }
            ]
        },
    },
}


def _lines(fixed_prices, fixed_usage, bucket: dict) -> dict[str, float]:
    growth = dict.fromkeys(fixed_usage.traffic.s3_growth_gb_per_month, 0.0) | {"documents": 30}
    usage = replace(
        fixed_usage, traffic=replace(fixed_usage.traffic, s3_growth_gb_per_month=growth)
    )
    inventory = Inventory.from_templates({"data": ("us-east-1", {"Resources": {"Docs": bucket}})})
    result = estimate(inventory, fixed_config(), fixed_prices, usage)
    return {line.description: round(line.on_demand, 6) for line in result.lines}


def test_current_documents_bill_by_intelligent_tiering_access_tier_and_monitoring(
    fixed_prices, fixed_usage
):
    # 30 GB a month for 12 months (365 days): 30 days frequent at $0.02, 60 infrequent at
    # $0.01, 275 archive instant at $0.004; 360 GB of 1 MB objects monitored at $0.0025/1,000.
    lines = _lines(fixed_prices, fixed_usage, DOCUMENTS)
    frequent, infrequent, archive = (30 * days / MONTH for days in (30, 60, 275))
    assert lines[f"documents: {frequent:g} GB in INTELLIGENT_TIERING"] == round(frequent * 0.02, 6)
    assert lines[f"documents: {infrequent:g} GB in INTELLIGENT_TIERING_INFREQUENT"] == round(
        infrequent * 0.01, 6
    )
    assert lines[f"documents: {archive:g} GB in INTELLIGENT_TIERING_ARCHIVE_INSTANT"] == round(
        archive * 0.004, 6
    )
    assert lines["documents: Intelligent-Tiering monitoring of 368,640 objects"] == 0.9216
    assert round(frequent + infrequent + archive, 9) == 360


def test_superseded_versions_are_kept_a_month_as_they_were_then_in_deep_archive(
    fixed_prices, fixed_usage
):
    # Half of the 30 GB a month is superseded (the fixture's share): 15 GB a month, the first
    # 30 days in the frequent tier, the next 335 of the year in Deep Archive at $0.001.
    lines = _lines(fixed_prices, fixed_usage, DOCUMENTS)
    first, cold = 15 * 30 / MONTH, 15 * 335 / MONTH
    assert lines[f"documents: superseded versions {first:g} GB in INTELLIGENT_TIERING"] == round(
        first * 0.02, 6
    )
    assert lines[f"documents: superseded versions {cold:g} GB in DEEP_ARCHIVE"] == round(
        cold * 0.001, 6
    )
    monitored = (
        "documents: superseded versions Intelligent-Tiering monitoring of "
        f"{first * 1024:,.0f} objects"
    )
    assert lines[monitored] == round(first * 1024 / 1000 * 0.0025, 6)


@pytest.mark.parametrize("days", [365, 2555])
def test_a_noncurrent_rule_bounds_what_superseded_versions_cost(fixed_prices, fixed_usage, days):
    # At month 12 nothing has reached a year as noncurrent: 365 and 2,555 days cost the same now
    # (the 7-year rule costs more only from month 13, in Deep Archive).
    rule = DOCUMENTS["Properties"]["LifecycleConfiguration"]["Rules"][0]
    bucket = {
        "Type": "AWS::S3::Bucket",
        "Properties": DOCUMENTS["Properties"]
        | {
            "LifecycleConfiguration": {
                "Rules": [rule | {"NoncurrentVersionExpiration": {"NoncurrentDays": days}}]
            }
        },
    }
    cold = 15 * 335 / MONTH
    assert _lines(fixed_prices, fixed_usage, bucket)[
        f"documents: superseded versions {cold:g} GB in DEEP_ARCHIVE"
    ] == round(cold * 0.001, 6)


def test_without_a_noncurrent_rule_no_superseded_line_is_invented(fixed_prices, fixed_usage):
    rule = DOCUMENTS["Properties"]["LifecycleConfiguration"]["Rules"][0]
    bare = {k: v for k, v in rule.items() if not k.startswith("Noncurrent")}
    bucket = {
        "Type": "AWS::S3::Bucket",
        "Properties": DOCUMENTS["Properties"] | {"LifecycleConfiguration": {"Rules": [bare]}},
    }
    assert not [d for d in _lines(fixed_prices, fixed_usage, bucket) if "superseded" in d]


def test_a_canarys_artifacts_bucket_takes_no_share_of_the_documents(fixed_prices, fixed_usage):
    # The documents canary's artifacts bucket (issue 25) once halved the documents' billed volume.
    artifacts = {
        "Type": "AWS::S3::Bucket",
        "Properties": {"LifecycleConfiguration": {"Rules": [{"Status": "Enabled"}]}},
    }
    growth = dict.fromkeys(fixed_usage.traffic.s3_growth_gb_per_month, 0.0) | {"documents": 30}
    usage = replace(
        fixed_usage, traffic=replace(fixed_usage.traffic, s3_growth_gb_per_month=growth)
    )
    inventory = Inventory.from_templates(
        {
            "data": ("us-east-1", {"Resources": {"Docs": DOCUMENTS}}),
            "monitoring": ("us-east-1", {"Resources": {"DocumentsCanaryArtifacts": artifacts}}),
        }
    )
    lines = estimate(inventory, fixed_config(), fixed_prices, usage).lines
    assert {line.resource for line in lines if line.description.startswith("documents:")} == {
        "data/Docs"
    }
    alone = _lines(fixed_prices, fixed_usage, DOCUMENTS)
    assert {
        line.description: round(line.on_demand, 6)
        for line in lines
        if line.description.startswith("documents:")
    } == {k: v for k, v in alone.items() if k.startswith("documents:")}
