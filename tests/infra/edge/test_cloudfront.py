"""CloudFront: HTTPS-only viewers on TLS 1.2_2021+, HTTPS to the origin name with the origin
header, static caching only."""

from __future__ import annotations

from dataclasses import replace

import pytest
from aws_cdk import App, Environment, Stack
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_kms as kms
from aws_cdk.assertions import Template

from infra.config import ConfigError, load_config
from infra.edge.cloudfront import EdgeDistribution
from tests.infra.conftest import resources

CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
DESTINATION = "AWS::Logs::DeliveryDestination"


def _config(result) -> dict:
    (distribution,) = resources(result, "edge", "AWS::CloudFront::Distribution").values()
    return distribution["Properties"]["DistributionConfig"]


def _behaviors(result) -> list[dict]:
    config = _config(result)
    return [config["DefaultCacheBehavior"], *config.get("CacheBehaviors", [])]


def test_viewers_use_tls_1_2_2021_or_newer(prod):
    policy = _config(prod)["ViewerCertificate"]["MinimumProtocolVersion"]
    assert policy in ("TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025")
    assert policy == prod.config.edge.viewer_tls_policy


def test_viewer_certificate_is_served_by_sni(prod):
    assert _config(prod)["ViewerCertificate"]["SslSupportMethod"] == "sni-only"


def test_every_behavior_is_https_only(prod):
    assert {b["ViewerProtocolPolicy"] for b in _behaviors(prod)} == {"https-only"}


def test_distribution_answers_for_the_configured_domain(prod):
    assert _config(prod)["Aliases"] == [prod.config.edge.domain_name]


def test_the_one_origin_is_the_origin_name_over_https_443_with_tls_1_2(prod):
    """One origin, whichever region serves: the traffic switch moves its DNS, not the
    distribution (no UpdateDistribution in a failover)."""
    (origin,) = _config(prod)["Origins"]
    assert origin["Id"] == "pcs-prod-origin"
    assert origin["DomainName"] == "origin.app.pcs.example.com"
    assert origin["CustomOriginConfig"] == {
        "HTTPSPort": 443,
        "OriginProtocolPolicy": "https-only",
        "OriginSSLProtocols": ["TLSv1.2"],
    }
    assert {b["TargetOriginId"] for b in _behaviors(prod)} == {"pcs-prod-origin"}
    assert not resources(prod, "edge", "AWS::CloudFront::VpcOrigin")


def test_the_origin_header_is_a_dynamic_reference_to_the_secret_not_its_value(prod):
    (origin,) = _config(prod)["Origins"]
    assert origin["OriginCustomHeaders"] == [
        {
            "HeaderName": "X-Origin-Verify",
            "HeaderValue": "{{resolve:secretsmanager:pcs-prod/edge/origin-header:SecretString:::}}",
        }
    ]


def test_the_edge_names_no_regional_resource(prod):
    """No cross-region reference: the edge stack reads nothing from either region's stacks."""
    body = prod.stacks["pcs-prod-edge"].template_path.read_text()
    assert "CrossRegionExportReader" not in body
    assert "us-west-2" not in body


def test_default_behavior_caches_nothing(prod):
    assert _config(prod)["DefaultCacheBehavior"]["CachePolicyId"] == CACHING_DISABLED


def test_only_the_static_paths_are_cached(prod):
    cached = {
        b["PathPattern"]
        for b in _config(prod).get("CacheBehaviors", [])
        if b["CachePolicyId"] != CACHING_DISABLED
    }
    assert cached == set(prod.config.edge.static_path_patterns) == {"/_next/static/*"}


def test_distribution_is_protected_by_the_web_acl(prod):
    assert "WebAcl" in _config(prod)["WebACLId"]["Fn::GetAtt"][0]


VENDED_LOGS_BUCKET = "aws-waf-logs-pcs-prod-111111111111"
KEY_ARN = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def test_access_logs_are_delivered_to_the_locked_vended_logs_bucket(prod):
    (source,) = resources(prod, "edge", "AWS::Logs::DeliverySource").values()
    (destination,) = resources(prod, "edge", "AWS::Logs::DeliveryDestination").values()
    assert source["Properties"]["LogType"] == "ACCESS_LOGS"
    assert destination["Properties"]["DestinationResourceArn"] == {
        "Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, f":s3:::{VENDED_LOGS_BUCKET}"]]
    }
    # No CloudWatch group (and so no ingestion at $0.50 a GB) is left for them.
    assert not resources(prod, "edge", "AWS::Logs::LogGroup")
    (bucket,) = [
        b["Properties"]
        for b in resources(prod, "foundation", "AWS::S3::Bucket").values()
        if b["Properties"].get("BucketName") == VENDED_LOGS_BUCKET
    ]
    # Thirty months under a compliance lock, as every log (AU-11, M-21-31).
    assert bucket["ObjectLockConfiguration"]["Rule"]["DefaultRetention"] == {
        "Mode": "COMPLIANCE",
        "Days": 913,
    }
    (rule,) = bucket["LifecycleConfiguration"]["Rules"]
    assert rule["ExpirationInDays"] == 913


def _edge_alone(destination: str) -> dict:
    """The distribution's construct alone, with ``edge.access_log_destination`` set."""
    config = load_config("prod")
    config = replace(config, edge=replace(config.edge, access_log_destination=destination))
    stack = Stack(App(), "Edge", env=Environment(account="111111111111", region="us-east-1"))
    EdgeDistribution(
        stack,
        "Cdn",
        config=config,
        origin_name=config.edge.origin_name,
        certificate=acm.Certificate.from_certificate_arn(
            stack, "Certificate", "arn:aws:acm:us-east-1:111111111111:certificate/1234"
        ),
        web_acl_arn="arn:aws:wafv2:us-east-1:111111111111:global/webacl/pcs/1234",
        logs_key=kms.Key.from_key_arn(stack, "Key", KEY_ARN),
    )
    return Template.from_stack(stack).to_json()["Resources"]


def test_the_cloudwatch_switch_delivers_access_logs_to_an_encrypted_log_group():
    template = _edge_alone("cloudwatch")
    (destination,) = [r for r in template.values() if r["Type"] == DESTINATION]
    group = destination["Properties"]["DestinationResourceArn"]["Fn::GetAtt"][0]
    assert template[group]["Properties"]["LogGroupName"] == "/aws/cloudfront/pcs-prod"
    assert template[group]["Properties"]["KmsKeyId"] == KEY_ARN


def test_the_s3_switch_leaves_no_log_group():
    template = _edge_alone("s3")
    assert [r["Type"] for r in template.values() if r["Type"].startswith("AWS::Logs::")] == [
        "AWS::Logs::DeliverySource",
        DESTINATION,
        "AWS::Logs::Delivery",
    ]


def test_an_unknown_access_log_destination_is_refused():
    with pytest.raises(ConfigError, match=r"edge\.access_log_destination.*s3, cloudwatch"):
        replace(load_config("prod").edge, access_log_destination="firehose")
