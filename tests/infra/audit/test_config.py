"""AWS Config: recorder, delivery channel to the logs bucket, NIST 800-53 Rev 5 conformance pack."""

from __future__ import annotations

from tests.infra.conftest import resources


def _one(result, resource_type: str) -> tuple[str, dict]:
    ((logical_id, resource),) = resources(result, "audit", resource_type).items()
    return logical_id, resource


def test_recorder_records_every_supported_resource_including_global(prod):
    _, recorder = _one(prod, "AWS::Config::ConfigurationRecorder")
    assert recorder["Properties"]["RecordingGroup"] == {
        "AllSupported": True,
        "IncludeGlobalResourceTypes": True,
    }


def test_recorder_role_is_assumed_by_config_with_the_aws_config_policy(prod):
    _, recorder = _one(prod, "AWS::Config::ConfigurationRecorder")
    role_id = recorder["Properties"]["RoleARN"]["Fn::GetAtt"][0]
    role = resources(prod, "audit", "AWS::IAM::Role")[role_id]["Properties"]
    principal = role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]
    assert principal == {"Service": "config.amazonaws.com"}
    assert "service-role/AWS_ConfigRole" in str(role["ManagedPolicyArns"])


def test_delivery_channel_writes_daily_snapshots_to_the_logs_bucket_with_the_logs_key(prod):
    _, channel = _one(prod, "AWS::Config::DeliveryChannel")
    props = channel["Properties"]
    assert props["S3BucketName"] == "pcs-prod-logs-111111111111"
    assert props["S3KeyPrefix"] == "config"
    assert "KeysLogs" in props["S3KmsKeyArn"]["Fn::ImportValue"]
    assert props["ConfigSnapshotDeliveryProperties"] == {"DeliveryFrequency": "TwentyFour_Hours"}


def test_delivery_channel_waits_for_the_recorder(prod):
    recorder_id, _ = _one(prod, "AWS::Config::ConfigurationRecorder")
    _, channel = _one(prod, "AWS::Config::DeliveryChannel")
    assert recorder_id in channel["DependsOn"]


def test_delivery_policy_writes_only_configs_prefix(prod):
    (policy,) = resources(prod, "audit", "AWS::IAM::ManagedPolicy").values()
    writes = [
        s
        for s in policy["Properties"]["PolicyDocument"]["Statement"]
        if s["Action"] == "s3:PutObject"
    ]
    assert len(writes) == 1
    assert writes[0]["Resource"]["Fn::Join"][1][-1] == (
        ":s3:::pcs-prod-logs-111111111111/config/AWSLogs/111111111111/Config/*"
    )


def test_nist_800_53_rev_5_conformance_pack_reads_the_aws_template_from_the_logs_bucket(prod):
    _, pack = _one(prod, "AWS::Config::ConformancePack")
    assert pack["Properties"]["ConformancePackName"] == "pcs-prod-nist-800-53-rev-5"
    assert pack["Properties"]["TemplateS3Uri"] == (
        "s3://pcs-prod-logs-111111111111/config/conformance-packs/"
        "Operational-Best-Practices-for-NIST-800-53-rev-5.yaml"
    )


def test_conformance_pack_waits_for_the_delivery_channel(prod):
    channel_id, _ = _one(prod, "AWS::Config::DeliveryChannel")
    _, pack = _one(prod, "AWS::Config::ConformancePack")
    assert channel_id in pack["DependsOn"]
