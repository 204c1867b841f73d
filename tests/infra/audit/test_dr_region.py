"""The DR region audits itself (issue 20 points 6, 7): the primary's audit constructs built in
us-west-2 (GuardDuty, Config with the NIST pack, Security Hub with NIST, the locked audit
archive), so a promoted region is watched and its services' audit events stay in it."""

from __future__ import annotations

from tests.infra.conftest import resources

DR_LOGS = "pcs-prod-dr-logs-111111111111"
PACK = "config/conformance-packs/Operational-Best-Practices-for-NIST-800-53-rev-5.yaml"


def _one(result, stack: str, resource_type: str) -> dict:
    (resource,) = resources(result, stack, resource_type).values()
    return resource["Properties"]


def test_dr_audit_deploys_in_the_dr_region_without_a_second_trail(prod):
    assert prod.stacks["pcs-prod-dr-audit"].region == "us-west-2"
    # The primary's trail is multi-region: it already records us-west-2's API calls.
    assert resources(prod, "dr-audit", "AWS::CloudTrail::Trail") == {}
    (trail,) = resources(prod, "audit", "AWS::CloudTrail::Trail").values()
    assert trail["Properties"]["IsMultiRegionTrail"] is True


def test_dr_guardduty_watches_s3_and_the_fargate_tasks_like_the_primary(prod):
    dr = _one(prod, "dr-audit", "AWS::GuardDuty::Detector")
    assert dr == _one(prod, "audit", "AWS::GuardDuty::Detector")
    assert dr["Enable"] is True
    assert {f["Name"]: f["Status"] for f in dr["Features"]} == {
        "S3_DATA_EVENTS": "ENABLED",
        "RUNTIME_MONITORING": "ENABLED",
    }


def test_dr_config_records_the_region_and_runs_the_nist_pack_from_the_dr_log_archive(prod):
    recorder = _one(prod, "dr-audit", "AWS::Config::ConfigurationRecorder")
    # Global resources (IAM) are recorded once, by the primary's recorder.
    assert recorder["RecordingGroup"] == {"AllSupported": True, "IncludeGlobalResourceTypes": False}
    primary = _one(prod, "audit", "AWS::Config::ConfigurationRecorder")
    assert primary["RecordingGroup"]["IncludeGlobalResourceTypes"] is True
    channel = _one(prod, "dr-audit", "AWS::Config::DeliveryChannel")
    assert (channel["S3BucketName"], channel["S3KeyPrefix"]) == (DR_LOGS, "config")
    assert "pcs-prod-dr-storage" in str(channel["S3KmsKeyArn"])  # the DR audit key
    pack = _one(prod, "dr-audit", "AWS::Config::ConformancePack")
    # A conformance pack reads its template from a bucket in its own region.
    assert pack["TemplateS3Uri"] == f"s3://{DR_LOGS}/{PACK}"


def test_dr_security_hub_scores_the_region_against_nist_800_53_rev_5(prod):
    hub = _one(prod, "dr-audit", "AWS::SecurityHub::Hub")
    assert hub["EnableDefaultStandards"] is False
    standard = _one(prod, "dr-audit", "AWS::SecurityHub::Standard")
    assert standard["StandardsArn"]["Fn::Join"][1][-1] == (
        ":securityhub:us-west-2::standards/nist-800-53/v/5.0.0"
    )


def test_dr_audit_archive_is_a_compliance_locked_bucket_fed_by_the_regions_streams(prod):
    bucket = _one(prod, "dr-audit", "AWS::S3::Bucket")
    assert bucket["ObjectLockEnabled"] is True
    assert bucket["ObjectLockConfiguration"]["Rule"]["DefaultRetention"] == {
        "Mode": "COMPLIANCE",
        "Days": 913,
    }
    streams = resources(prod, "dr-audit", "AWS::KinesisFirehose::DeliveryStream").values()
    assert sorted(s["Properties"]["DeliveryStreamName"] for s in streams) == [
        "pcs-prod-audit-application",
        "pcs-prod-audit-sign-in",
    ]


def test_the_dr_worker_writes_audit_events_to_the_dr_regions_stream(prod):
    for task in resources(prod, "dr-compute", "AWS::ECS::TaskDefinition").values():
        (container,) = task["Properties"]["ContainerDefinitions"]
        variables = {e["Name"]: e["Value"] for e in container.get("Environment", [])}
        if "AUDIT_FIREHOSE_STREAM" in variables:
            stream = variables["AUDIT_FIREHOSE_STREAM"]
            assert stream["Fn::ImportValue"].startswith("pcs-prod-dr-audit:"), stream
            assert variables["AWS_ENDPOINT_URL_FIREHOSE"] == (
                "https://firehose.us-west-2.amazonaws.com"
            )


def test_dr_log_archive_is_locked_under_the_dr_audit_key(prod):
    buckets = {
        b["Properties"].get("BucketName"): b["Properties"]
        for b in resources(prod, "dr-storage", "AWS::S3::Bucket").values()
    }
    logs = buckets[DR_LOGS]
    assert logs["ObjectLockConfiguration"]["Rule"]["DefaultRetention"] == {
        "Mode": "COMPLIANCE",
        "Days": 913,
    }
    (rule,) = logs["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    aliases = resources(prod, "dr-storage", "AWS::KMS::Alias").values()
    assert "alias/pcs-prod/dr-audit" in {a["Properties"]["AliasName"] for a in aliases}
