"""Security groups of spec §1.2: each admits only its caller and sends only where it must."""

from __future__ import annotations

import pytest

from tests.infra.conftest import resources

CLOUDFRONT_ORIGIN_FACING_US_EAST_1 = "pl-3b927c52"


def _group_id(result, name: str) -> str:
    groups = resources(result, "network", "AWS::EC2::SecurityGroup")
    (logical_id,) = [
        k for k, v in groups.items() if v["Properties"]["GroupName"] == f"pcs-prod-{name}-sg"
    ]
    return logical_id


def _rules(result, kind: str, name: str) -> list[dict]:
    """Ingress or egress rules of group ``name``, standalone and inline, with peers as names."""
    group_id = _group_id(result, name)
    groups = resources(result, "network", "AWS::EC2::SecurityGroup")
    names = {
        k: v["Properties"]["GroupName"].removeprefix("pcs-prod-").removesuffix("-sg")
        for k, v in groups.items()
    }
    standalone = resources(result, "network", f"AWS::EC2::SecurityGroup{kind.title()}")
    rules = [
        r["Properties"]
        for r in standalone.values()
        if r["Properties"]["GroupId"]["Fn::GetAtt"][0] == group_id
    ]
    inline_key = "SecurityGroupIngress" if kind == "ingress" else "SecurityGroupEgress"
    rules += groups[group_id]["Properties"].get(inline_key, [])
    peer_key = "SourceSecurityGroupId" if kind == "ingress" else "DestinationSecurityGroupId"
    return [
        {
            "port": (r.get("FromPort"), r.get("ToPort")),
            "peer": names[r[peer_key]["Fn::GetAtt"][0]]
            if peer_key in r
            else r.get("SourcePrefixListId") or r.get("CidrIp"),
        }
        for r in rules
    ]


def test_alb_admits_only_https_from_the_cloudfront_origin_facing_prefix_list(prod):
    assert _rules(prod, "ingress", "alb") == [
        {"port": (443, 443), "peer": CLOUDFRONT_ORIGIN_FACING_US_EAST_1}
    ]


def test_alb_sends_only_to_the_tasks_on_port_8000(prod):
    assert _rules(prod, "egress", "alb") == [{"port": (8000, 8000), "peer": "tasks"}]


def test_tasks_admit_only_port_8000_from_the_alb(prod):
    assert _rules(prod, "ingress", "tasks") == [{"port": (8000, 8000), "peer": "alb"}]


def test_tasks_send_only_to_the_data_tier_endpoints_and_https(prod):
    assert sorted(_rules(prod, "egress", "tasks"), key=str) == sorted(
        [
            {"port": (5432, 5432), "peer": "database"},
            {"port": (6379, 6379), "peer": "redis"},
            {"port": (9098, 9098), "peer": "kafka"},
            {"port": (443, 443), "peer": "endpoints"},
            {"port": (443, 443), "peer": "0.0.0.0/0"},
        ],
        key=str,
    )


@pytest.mark.parametrize(
    ("group", "port"), [("database", 5432), ("redis", 6379), ("kafka", 9098), ("endpoints", 443)]
)
def test_data_tier_groups_admit_only_the_tasks_group(prod, group, port):
    ingress = [r for r in _rules(prod, "ingress", group) if r["peer"] == "tasks"]
    assert ingress == [{"port": (port, port), "peer": "tasks"}]
    assert all(r["peer"] != "0.0.0.0/0" for r in _rules(prod, "ingress", group))


@pytest.mark.parametrize("group", ["database", "redis", "kafka", "endpoints"])
def test_data_tier_groups_have_no_egress(prod, group):
    # CDK's stand-in for "no egress" when allow_all_outbound is off: one unroutable ICMP rule.
    assert _rules(prod, "egress", group) == [{"port": (252, 86), "peer": "255.255.255.255/32"}]


def test_no_group_allows_all_outbound_traffic(prod):
    for group in ("alb", "tasks", "database", "redis", "kafka", "endpoints"):
        assert all(r["port"] != (None, None) for r in _rules(prod, "egress", group))
