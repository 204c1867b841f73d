"""The internal ALB: serving only CloudFront's requests with the origin header (through the
region's origin entry) and the test clients; HTTPS only with a FIPS TLS 1.3 policy, logged,
protected, two listeners."""

from __future__ import annotations

from tests.infra.conftest import resources


def _alb(result) -> dict:
    (alb,) = [
        lb["Properties"]
        for lb in resources(result, "origin", "AWS::ElasticLoadBalancingV2::LoadBalancer").values()
        if lb["Properties"]["Type"] == "application"
    ]
    return alb


def _service_groups(result) -> list[dict]:
    """The ALB's target groups (the services'), not the entry's group of the ALB."""
    groups = resources(result, "origin", "AWS::ElasticLoadBalancingV2::TargetGroup").values()
    return [g for g in groups if g["Properties"]["TargetType"] != "alb"]


def _attributes(result) -> dict[str, str]:
    return {a["Key"]: a["Value"] for a in _alb(result)["LoadBalancerAttributes"]}


def _listeners(result) -> dict[int, dict]:
    """The ALB's listeners by port (the entry's TCP listener is not the ALB's)."""
    listeners = resources(result, "origin", "AWS::ElasticLoadBalancingV2::Listener").values()
    return {
        listener["Properties"]["Port"]: listener["Properties"]
        for listener in listeners
        if listener["Properties"]["Protocol"] != "TCP"
    }


ORIGIN_HEADER = {
    "Field": "http-header",
    "HttpHeaderConfig": {
        "HttpHeaderName": "X-Origin-Verify",
        "Values": ["{{resolve:secretsmanager:pcs-prod/edge/origin-header:SecretString:::}}"],
    },
}


def test_alb_is_internal_under_its_deployed_name(prod):
    alb = _alb(prod)
    assert (alb["Scheme"], alb["Name"]) == ("internal", "pcs-prod-api")


def _rules_of(result, port: int) -> list[dict]:
    (listener_id,) = [
        key
        for key, listener in resources(
            result, "origin", "AWS::ElasticLoadBalancingV2::Listener"
        ).items()
        if listener["Properties"]["Port"] == port and listener["Properties"]["Protocol"] == "HTTPS"
    ]
    return [
        rule["Properties"]
        for rule in resources(
            result, "origin", "AWS::ElasticLoadBalancingV2::ListenerRule"
        ).values()
        if rule["Properties"]["ListenerArn"] == {"Ref": listener_id}
    ]


def test_production_forwards_only_requests_with_the_origin_header_and_refuses_the_rest(prod):
    """CloudFront's origin-facing addresses are every distribution's: the header is this one's."""
    forwarding = [r for r in _rules_of(prod, 443) if r["Actions"][0]["Type"] == "forward"]
    assert len(forwarding) == 2  # the API's and the web's
    for rule in forwarding:
        assert ORIGIN_HEADER in rule["Conditions"]
    (default,) = _listeners(prod)[443]["DefaultActions"]
    assert default["Type"] == "fixed-response"
    assert default["FixedResponseConfig"]["StatusCode"] == "403"


def test_the_test_listener_needs_no_header_its_security_group_admits_only_test_clients(prod):
    for rule in _rules_of(prod, 8443):
        assert [c["Field"] for c in rule["Conditions"]] == ["path-pattern"]


def test_without_the_header_only_the_entrys_health_path_is_answered_and_never_forwarded(prod):
    (health,) = [r for r in _rules_of(prod, 443) if r["Actions"][0]["Type"] != "forward"]
    assert health["Priority"] == 3  # after ECS's two rules
    assert health["Conditions"] == [
        {"Field": "path-pattern", "PathPatternConfig": {"Values": ["/health/entry"]}}
    ]
    assert health["Actions"][0]["FixedResponseConfig"]["StatusCode"] == "200"
    # Under /health*, which CloudFront refuses to viewers (edge-health-not-public.md).
    assert prod.config.edge.entry_health_check_path.startswith("/health")


def test_the_dr_alb_requires_the_same_header_resolved_from_its_regions_replica(prod):
    rules = [
        rule["Properties"]
        for rule in resources(
            prod, "dr-origin", "AWS::ElasticLoadBalancingV2::ListenerRule"
        ).values()
        if ORIGIN_HEADER in rule["Properties"]["Conditions"]
    ]
    assert len(rules) == 2


def test_alb_listens_only_on_https_443_and_the_blue_green_test_port_8443(prod):
    assert sorted(_listeners(prod)) == [443, 8443]
    assert sorted(_listeners(prod)) == sorted(
        [prod.config.ports.https, prod.config.ports.blue_green_test]
    )


def test_every_alb_listener_is_https(prod):
    assert {listener["Protocol"] for listener in _listeners(prod).values()} == {"HTTPS"}


def test_alb_listeners_use_the_fips_tls13_policy(prod):
    policies = {listener["SslPolicy"] for listener in _listeners(prod).values()}
    assert policies == {"ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04"}
    assert policies == {prod.config.edge.alb_ssl_policy}


def test_alb_drops_invalid_header_fields(prod):
    assert _attributes(prod)["routing.http.drop_invalid_header_fields.enabled"] == "true"


def test_alb_writes_access_logs_to_the_access_logs_bucket(prod):
    attributes = _attributes(prod)
    assert attributes["access_logs.s3.enabled"] == "true"
    assert "AccessLogs" in attributes["access_logs.s3.bucket"]["Fn::ImportValue"]


def test_alb_has_deletion_protection_in_prod(prod):
    assert _attributes(prod)["deletion_protection.enabled"] == "true"


def test_alb_has_no_deletion_protection_in_dev(dev):
    assert _attributes(dev)["deletion_protection.enabled"] == "false"


def test_blue_and_green_target_groups_check_health_on_port_8000_path_health(prod):
    checks = [
        (g["Properties"]["Port"], g["Properties"]["TargetType"], g["Properties"]["HealthCheckPath"])
        for g in _service_groups(prod)
    ]
    assert sorted(checks) == [(8000, "ip", "/health")] * 2 + [(8000, "ip", "/healthz")] * 2


def test_the_api_target_groups_and_their_health_checks_are_https(prod):
    groups = resources(prod, "origin", "AWS::ElasticLoadBalancingV2::TargetGroup").values()
    api = [g["Properties"] for g in groups if g["Properties"]["HealthCheckPath"] == "/health"]
    assert len(api) == 2  # blue and green
    assert {(g["Protocol"], g["HealthCheckProtocol"]) for g in api} == {("HTTPS", "HTTPS")}


def test_the_api_tasks_serve_tls_where_the_alb_sends_https(prod):
    from tests.infra.compute.helpers import container

    environment = {e["Name"]: e["Value"] for e in container(prod, "api")["Environment"]}
    assert environment["SERVE_TLS"] == "true"


def test_each_listener_forwards_through_a_rule_per_service_weighing_blue_100_and_green_0(prod):
    rules = resources(prod, "origin", "AWS::ElasticLoadBalancingV2::ListenerRule").values()
    weights = [
        sorted(t["Weight"] for t in r["Properties"]["Actions"][0]["ForwardConfig"]["TargetGroups"])
        for r in rules
        if r["Properties"]["Actions"][0]["Type"] == "forward"
    ]
    assert weights == [[0, 100]] * 4  # the API's and the web's, on each of the two listeners


def test_test_listener_admits_only_the_blue_green_test_clients(prod):
    ingress = [
        rule["Properties"]
        for rule in resources(prod, "origin", "AWS::EC2::SecurityGroupIngress").values()
        if rule["Properties"]["FromPort"] == 8443
    ]
    assert len(ingress) == 1
    assert "TestClients" in ingress[0]["SourceSecurityGroupId"]["Fn::GetAtt"][0]


def test_target_groups_drain_for_30_seconds(prod):
    delays = {
        a["Value"]
        for g in _service_groups(prod)
        for a in g["Properties"]["TargetGroupAttributes"]
        if a["Key"] == "deregistration_delay.timeout_seconds"
    }
    assert delays == {str(prod.config.edge.deregistration_delay_seconds)} == {"30"}
