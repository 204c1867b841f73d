"""The web front end at the edge: ALB routing, CloudFront behaviours, security headers."""

from __future__ import annotations

from tests.infra.conftest import resources

CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
YEAR = 365 * 24 * 3600


def _distribution(result) -> dict:
    (distribution,) = resources(result, "edge", "AWS::CloudFront::Distribution").values()
    return distribution["Properties"]["DistributionConfig"]


def _target_group_ids(result, health_path: str) -> list[str]:
    return sorted(
        k
        for k, v in resources(result, "origin", "AWS::ElasticLoadBalancingV2::TargetGroup").items()
        if v["Properties"]["HealthCheckPath"] == health_path
    )


def _listener(result, port: int) -> tuple[str, dict]:
    (found,) = [
        (k, v["Properties"])
        for k, v in resources(result, "origin", "AWS::ElasticLoadBalancingV2::Listener").items()
        if v["Properties"]["Port"] == port and v["Properties"]["Protocol"] == "HTTPS"
    ]
    return found


def _rules(result, listener_id: str) -> list[tuple[int, list[str], list[str]]]:
    """(priority, path patterns, weighted target groups: blue at 100, green at 0) of each rule."""
    found = []
    for rule in resources(result, "origin", "AWS::ElasticLoadBalancingV2::ListenerRule").values():
        properties = rule["Properties"]
        if properties["ListenerArn"] != {"Ref": listener_id}:
            continue
        if properties["Actions"][0]["Type"] != "forward":
            continue  # the entry's health path (test_load_balancer.py)
        (condition,) = [c for c in properties["Conditions"] if c["Field"] == "path-pattern"]
        (action,) = properties["Actions"]
        groups = action["ForwardConfig"]["TargetGroups"]
        assert [g["Weight"] for g in groups] == [100, 0]
        found.append(
            (
                properties["Priority"],
                condition["PathPatternConfig"]["Values"],
                [g["TargetGroupArn"]["Ref"] for g in groups],
            )
        )
    return sorted(found)


def test_production_listener_sends_api_paths_to_the_api_and_the_rest_to_web(prod):
    listener_id, listener = _listener(prod, 443)
    api, web = _target_group_ids(prod, "/health"), _target_group_ids(prod, "/healthz")
    (api_rule, web_rule) = _rules(prod, listener_id)
    assert (api_rule[:2], sorted(api_rule[2])) == ((1, ["/api/*"]), api)
    assert (web_rule[:2], sorted(web_rule[2])) == ((2, ["/*"]), web)
    # Reached only by requests without the origin header (test_load_balancer.py).
    (default,) = listener["DefaultActions"]
    assert default["Type"] == "fixed-response"


def test_the_blue_green_test_listener_routes_like_production_plus_the_apis_readiness(prod):
    listener_id, listener = _listener(prod, 8443)
    api, web = _target_group_ids(prod, "/health"), _target_group_ids(prod, "/healthz")
    (api_rule, web_rule) = _rules(prod, listener_id)
    # The API hook's probes (readiness, /api/*) reach the API's green, the portal hook's
    # (/healthz, /documents) the web's.
    assert (api_rule[:2], sorted(api_rule[2])) == ((1, ["/api/*", "/health/ready"]), api)
    assert (web_rule[:2], sorted(web_rule[2])) == ((2, ["/*"]), web)
    assert listener["DefaultActions"][0]["Type"] == "fixed-response"


def test_web_target_groups_check_healthz_on_the_app_port_over_https(prod):
    groups = resources(prod, "origin", "AWS::ElasticLoadBalancingV2::TargetGroup")
    web_ids = _target_group_ids(prod, "/healthz")
    assert len(web_ids) == 2  # blue and green
    for logical_id in web_ids:
        web = groups[logical_id]["Properties"]
        assert (web["Port"], web["Protocol"], web["TargetType"]) == (8000, "HTTPS", "ip")
        assert web["HealthCheckProtocol"] == "HTTPS"


def test_next_static_files_are_cached_a_year_and_pages_not_at_all(prod):
    config = _distribution(prod)
    (static,) = config["CacheBehaviors"]
    assert static["PathPattern"] == "/_next/static/*"
    policies = resources(prod, "edge", "AWS::CloudFront::CachePolicy")
    (policy,) = [
        p["Properties"]["CachePolicyConfig"]
        for k, p in policies.items()
        if static["CachePolicyId"] == {"Ref": k}
    ]
    assert (policy["MinTTL"], policy["DefaultTTL"], policy["MaxTTL"]) == (YEAR, YEAR, YEAR)
    key = policy["ParametersInCacheKeyAndForwardedToOrigin"]
    assert key["QueryStringsConfig"]["QueryStringBehavior"] == "none"
    assert key["CookiesConfig"]["CookieBehavior"] == "none"
    assert config["DefaultCacheBehavior"]["CachePolicyId"] == CACHING_DISABLED


def test_every_behaviour_sends_the_security_headers_policy(prod):
    config = _distribution(prod)
    (policy_id,) = resources(prod, "edge", "AWS::CloudFront::ResponseHeadersPolicy")
    for behaviour in [config["DefaultCacheBehavior"], *config["CacheBehaviors"]]:
        assert behaviour["ResponseHeadersPolicyId"] == {"Ref": policy_id}


def test_headers_policy_sets_csp_hsts_frame_and_referrer_policies(prod):
    (policy,) = resources(prod, "edge", "AWS::CloudFront::ResponseHeadersPolicy").values()
    headers = policy["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    hsts = headers["StrictTransportSecurity"]
    assert (hsts["AccessControlMaxAgeSec"], hsts["IncludeSubdomains"], hsts["Preload"]) == (
        730 * 24 * 3600,
        True,
        True,
    )
    assert headers["FrameOptions"]["FrameOption"] == "DENY"
    assert headers["ReferrerPolicy"]["ReferrerPolicy"] == "strict-origin-when-cross-origin"
    assert headers["ContentTypeOptions"]["Override"] is True
    # The portal's pages send their own CSP with a per-request nonce; this one fills in the rest.
    assert {name: h["Override"] for name, h in headers.items()} == {
        "ContentSecurityPolicy": False,
        "ContentTypeOptions": True,
        "FrameOptions": True,
        "ReferrerPolicy": True,
        "StrictTransportSecurity": True,
    }
    csp = dict(
        directive.split(" ", 1)
        for directive in headers["ContentSecurityPolicy"]["ContentSecurityPolicy"].split("; ")
        if " " in directive
    )
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'"  # no inline script (issue 22)
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert csp["connect-src"].split() == [
        "'self'",
        "https://cognito-idp.us-east-1.amazonaws.com",
        "https://pcs-prod-111111111111.auth.us-east-1.amazoncognito.com",
        "https://pcs-prod-documents-111111111111.s3.amazonaws.com",
        "https://pcs-prod-documents-111111111111.s3.us-east-1.amazonaws.com",
        "https://pcs-prod-documents-111111111111.s3-fips.us-east-1.amazonaws.com",
    ]
