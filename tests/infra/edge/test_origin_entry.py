"""Each region's origin entry: the internet-facing NLB the origin name's record answers with, in
front of the internal ALB, and the private zone that keeps that name on the ALB inside the VPC."""

from __future__ import annotations

import pytest

from tests.infra.conftest import resources

LB = "AWS::ElasticLoadBalancingV2::LoadBalancer"
STACKS = ("origin", "dr-origin")


def _balancers(result, stack: str) -> dict[str, dict]:
    return {
        lb["Properties"]["Type"]: (key, lb["Properties"])
        for key, lb in resources(result, stack, LB).items()
    }


@pytest.mark.parametrize("stack", STACKS)
def test_the_entry_is_an_internet_facing_nlb_in_the_public_subnets_behind_its_group(prod, stack):
    _key, entry = _balancers(prod, stack)["network"]
    assert (entry["Scheme"], entry["Name"]) == ("internet-facing", "pcs-prod-entry")
    subnets = [subnet["Fn::ImportValue"] for subnet in entry["Subnets"]]
    assert len(subnets) == 3 and all("VpcpublicSubnet" in subnet for subnet in subnets)
    (group,) = entry["SecurityGroups"]
    assert "SecurityGroupsEntry" in group["Fn::ImportValue"]


@pytest.mark.parametrize("stack", STACKS)
def test_the_entry_passes_tcp_443_to_the_albs_production_listener(prod, stack):
    """TLS ends at the ALB, on its certificate for the origin name: the entry only forwards."""
    entry_id, _entry = _balancers(prod, stack)["network"]
    alb_id, _alb = _balancers(prod, stack)["application"]
    (listener,) = [
        listener["Properties"]
        for listener in resources(prod, stack, "AWS::ElasticLoadBalancingV2::Listener").values()
        if listener["Properties"]["LoadBalancerArn"] == {"Ref": entry_id}
    ]
    assert (listener["Port"], listener["Protocol"]) == (443, "TCP")
    (action,) = listener["DefaultActions"]
    group = resources(prod, stack, "AWS::ElasticLoadBalancingV2::TargetGroup")[
        action["TargetGroupArn"]["Ref"]
    ]["Properties"]
    assert (group["TargetType"], group["Port"], group["Protocol"]) == ("alb", 443, "TCP")
    assert group["Targets"] == [{"Id": {"Ref": alb_id}, "Port": 443}]
    assert (group["HealthCheckProtocol"], group["HealthCheckPath"]) == ("HTTPS", "/health/entry")


@pytest.mark.parametrize("stack", STACKS)
def test_inside_the_vpc_the_origin_name_is_the_regions_own_alb(prod, stack):
    """The test-phase hook calls https://origin.<domain>:8443 from the VPC, which has no route to
    the internet: the private zone answers with its own region's internal ALB."""
    ((zone_id, zone),) = resources(prod, stack, "AWS::Route53::HostedZone").items()
    assert zone["Properties"]["Name"] == "origin.app.pcs.example.com."
    (vpc,) = zone["Properties"]["VPCs"]
    assert "NetworkVpc" in vpc["VPCId"]["Fn::ImportValue"]
    region = prod.stacks[f"pcs-prod-{stack}"].region
    assert vpc["VPCRegion"] == region
    (inside,) = [
        r["Properties"]
        for r in resources(prod, stack, "AWS::Route53::RecordSet").values()
        if r["Properties"]["HostedZoneId"] == {"Ref": zone_id}
    ]
    alb_id, _alb = _balancers(prod, stack)["application"]
    assert inside["Name"] == "origin.app.pcs.example.com."
    assert inside["AliasTarget"]["DNSName"]["Fn::Join"][1][1] == {"Fn::GetAtt": [alb_id, "DNSName"]}


@pytest.mark.parametrize(
    ("origin", "compute"), [("origin", "compute"), ("dr-origin", "dr-compute")]
)
def test_each_test_phase_hook_reaches_its_own_regions_internal_alb(prod, origin, compute):
    """The hooks run in the VPC with no route to the internet: the host of their test URL must be
    a name the region's private zone answers with its internal ALB (an internet-facing one, or the
    public record's other region, would be out of reach)."""
    hooks = [
        f["Properties"]
        for f in resources(prod, compute, "AWS::Lambda::Function").values()
        if "TEST_BASE_URL" in f["Properties"].get("Environment", {}).get("Variables", {})
    ]
    assert len(hooks) == 2  # the API's and the portal's
    (zone,) = resources(prod, origin, "AWS::Route53::HostedZone").values()
    _key, alb = _balancers(prod, origin)["application"]
    assert alb["Scheme"] == "internal"
    for hook in hooks:
        url = hook["Environment"]["Variables"]["TEST_BASE_URL"]
        assert url == "https://origin.app.pcs.example.com:8443"
        assert f"{url.split('//')[1].split(':')[0]}." == zone["Properties"]["Name"]
        assert hook["VpcConfig"]["SubnetIds"]  # in the VPC, where the private zone answers
