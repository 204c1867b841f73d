"""CloudFront: HTTPS-only viewers on TLS 1.2_2021+, HTTPS to a VPC origin, static caching only."""

from __future__ import annotations

from tests.infra.conftest import resources

CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"


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


def test_origin_is_a_vpc_origin_so_the_alb_is_reachable_only_through_cloudfront(prod):
    origins = _config(prod)["Origins"]
    assert [o["Id"] for o in origins] == ["pcs-prod-primary", "pcs-prod-dr"]  # dr: the standby
    for origin in origins:
        assert "VpcOriginConfig" in origin
        assert "CustomOriginConfig" not in origin


def test_vpc_origin_is_the_alb_over_https_443_with_tls_1_2(prod):
    configs = [
        o["Properties"]["VpcOriginEndpointConfig"]
        for o in resources(prod, "edge", "AWS::CloudFront::VpcOrigin").values()
    ]
    endpoints = {endpoint["Name"]: endpoint for endpoint in configs}
    assert set(endpoints) == {"pcs-prod-alb", "pcs-prod-dr-alb"}  # the DR region's: its standby
    for endpoint in endpoints.values():
        assert endpoint["OriginProtocolPolicy"] == "https-only"
        assert endpoint["HTTPSPort"] == 443
        assert endpoint["OriginSSLProtocols"] == ["TLSv1.2"]
    # The primary region's ALB, exported by its origin stack (same region: a plain import).
    assert endpoints["pcs-prod-alb"]["Arn"]["Fn::ImportValue"].startswith("pcs-prod-origin:")
    assert "RefApiAlb" in endpoints["pcs-prod-alb"]["Arn"]["Fn::ImportValue"]


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


def test_access_logs_are_delivered_to_an_encrypted_log_group(prod):
    (source,) = resources(prod, "edge", "AWS::Logs::DeliverySource").values()
    (destination,) = resources(prod, "edge", "AWS::Logs::DeliveryDestination").values()
    groups = resources(prod, "edge", "AWS::Logs::LogGroup")
    target = destination["Properties"]["DestinationResourceArn"]["Fn::GetAtt"][0]
    assert source["Properties"]["LogType"] == "ACCESS_LOGS"
    assert "KmsKeyId" in groups[target]["Properties"]
