"""Security groups of spec §1.2: each admits only its caller and sends only where it must."""

from __future__ import annotations

import pytest

from infra.network.security_groups import SERVICE_PEERS
from tests.infra.conftest import resources

CLOUDFRONT_ORIGIN_FACING_US_EAST_1 = "pl-3b927c52"
S3_US_EAST_1 = "pl-63a5400a"  # com.amazonaws.us-east-1.s3
S3_US_WEST_2 = "pl-68a54001"
SERVICES = ("api", "worker", "beat", "migrate", "web")
# Every task's way to start: image layers from S3, and ECR, logs and secrets by endpoint.
STARTUP = [{"port": (443, 443), "peer": "endpoints"}, {"port": (443, 443), "peer": S3_US_EAST_1}]
DATA_PORTS = {"database": 5432, "redis": 6379, "kafka": 9098}


def _group_id(result, name: str, stack: str = "network") -> str:
    groups = resources(result, stack, "AWS::EC2::SecurityGroup")
    (logical_id,) = [
        k
        for k, v in groups.items()
        if v["Properties"]["GroupName"] == f"{result.config.prefix}-{name}-sg"
    ]
    return logical_id


def _rules(result, kind: str, name: str, stack: str = "network") -> list[dict]:
    """Ingress or egress rules of group ``name``, standalone and inline, with peers as names."""
    group_id = _group_id(result, name, stack)
    groups = resources(result, stack, "AWS::EC2::SecurityGroup")
    prefix = f"{result.config.prefix}-"
    names = {
        k: v["Properties"]["GroupName"].removeprefix(prefix).removesuffix("-sg")
        for k, v in groups.items()
    }
    standalone = resources(result, stack, f"AWS::EC2::SecurityGroup{kind.title()}")
    rules = [
        r["Properties"]
        for r in standalone.values()
        if r["Properties"]["GroupId"]["Fn::GetAtt"][0] == group_id
    ]
    inline_key = "SecurityGroupIngress" if kind == "ingress" else "SecurityGroupEgress"
    rules += groups[group_id]["Properties"].get(inline_key, [])
    peer_key = "SourceSecurityGroupId" if kind == "ingress" else "DestinationSecurityGroupId"
    return sorted(
        (
            {
                "port": (r.get("FromPort"), r.get("ToPort")),
                "peer": names[r[peer_key]["Fn::GetAtt"][0]]
                if peer_key in r
                else r.get("SourcePrefixListId")
                or r.get("DestinationPrefixListId")
                or r.get("CidrIp"),
            }
            for r in rules
        ),
        key=str,
    )


def _expected(rules: list[dict]) -> list[dict]:
    return sorted(rules, key=str)


def test_alb_admits_only_https_from_cloudfront_and_the_origin_entry(prod):
    """CloudFront's addresses where the entry preserves them, the entry's own otherwise."""
    assert _rules(prod, "ingress", "alb") == _expected(
        [
            {"port": (443, 443), "peer": "entry"},
            {"port": (443, 443), "peer": CLOUDFRONT_ORIGIN_FACING_US_EAST_1},
        ]
    )


def test_the_origin_entry_admits_only_https_from_cloudfront_and_sends_only_to_the_alb(prod):
    assert _rules(prod, "ingress", "entry") == [
        {"port": (443, 443), "peer": CLOUDFRONT_ORIGIN_FACING_US_EAST_1}
    ]
    assert _rules(prod, "egress", "entry") == [{"port": (443, 443), "peer": "alb"}]


def test_alb_sends_only_to_the_api_and_web_tasks_on_port_8000(prod):
    assert _rules(prod, "egress", "alb") == _expected(
        [{"port": (8000, 8000), "peer": "api"}, {"port": (8000, 8000), "peer": "web"}]
    )


@pytest.mark.parametrize("name", SERVICES)
def test_only_the_api_and_web_tasks_admit_the_alb_and_only_on_port_8000(prod, name):
    expected = [{"port": (8000, 8000), "peer": "alb"}] if name in ("api", "web") else []
    assert _rules(prod, "ingress", name) == expected


@pytest.mark.parametrize(
    ("name", "needs"),
    [
        # Not Cognito: the user pool's keys come with the task (COGNITO_JWKS).
        ("api", [("database", 5432), ("redis", 6379)]),
        ("worker", [("database", 5432), ("redis", 6379), ("kafka", 9098)]),
        ("beat", [("database", 5432), ("redis", 6379)]),
        ("migrate", [("database", 5432)]),
        ("web", []),
    ],
)
def test_each_service_sends_only_what_it_needs(prod, name, needs):
    needed = [{"port": (port, port), "peer": peer} for peer, port in needs]
    assert _rules(prod, "egress", name) == _expected(STARTUP + needed)


def test_the_worker_sends_nothing_to_kafka_where_the_tier_runs_none(dev):
    assert dev.config.kafka.enabled is False
    assert all(rule["peer"] != "kafka" for rule in _rules(dev, "egress", "worker"))


@pytest.mark.parametrize("group", ["database", "redis", "kafka"])
def test_data_tier_groups_admit_only_the_services_that_use_them(prod, group):
    users = sorted(name for name, peers in SERVICE_PEERS.items() if group in peers)
    assert _rules(prod, "ingress", group) == _expected(
        [{"port": (DATA_PORTS[group],) * 2, "peer": name} for name in users]
    )
    assert users  # the table names at least one user of each data-tier group


def test_endpoints_admit_https_from_every_service(prod):
    assert {r["peer"] for r in _rules(prod, "ingress", "endpoints")} >= set(SERVICES)
    assert {r["port"] for r in _rules(prod, "ingress", "endpoints")} == {(443, 443)}


@pytest.mark.parametrize("group", ["database", "redis", "kafka", "endpoints"])
def test_data_tier_groups_have_no_egress(prod, group):
    # CDK's stand-in for "no egress" when allow_all_outbound is off: one unroutable ICMP rule.
    assert _rules(prod, "egress", group) == [{"port": (252, 86), "peer": "255.255.255.255/32"}]


def test_dr_region_tasks_reach_s3_by_that_regions_prefix_list(prod):
    egress = _rules(prod, "egress", "migrate", stack="dr-network")
    assert {"port": (443, 443), "peer": S3_US_WEST_2} in egress
    assert all(rule["peer"] != S3_US_EAST_1 for rule in egress)
