"""Issue 26: no NAT gateway where nothing egresses, and nothing that would need one.

Without a NAT, a security-group rule to an address outside the VPC, or a route to a NAT or to
the internet from a private subnet, would be a silent outage; these tests make it a failure.
"""

from __future__ import annotations

import copy
import ipaddress

import pytest

from infra.config import load_config

ENVIRONMENTS = ["dev", "staging", "prod"]
# CDK's "disallow all" placeholder on a group with no egress: matches no packet.
NO_EGRESS_PLACEHOLDER = "255.255.255.255/32"


def _templates(result) -> dict[str, dict]:
    return {name: stack.template for name, stack in result.stacks.items()}


def _vpc_cidrs(templates: dict[str, dict]) -> list[ipaddress.IPv4Network]:
    return [
        ipaddress.IPv4Network(body["Properties"]["CidrBlock"])
        for template in templates.values()
        for body in template["Resources"].values()
        if body["Type"] == "AWS::EC2::VPC"
    ]


def _egress_rules(resource: dict) -> list[dict]:
    props = resource.get("Properties", {})
    if resource["Type"] == "AWS::EC2::SecurityGroup":
        return props.get("SecurityGroupEgress", [])
    return [props] if resource["Type"] == "AWS::EC2::SecurityGroupEgress" else []


def _public_route_tables(resources: dict[str, dict]) -> set[str]:
    """Route tables associated with a subnet that CDK tags as public."""
    public = {
        logical_id
        for logical_id, body in resources.items()
        if body["Type"] == "AWS::EC2::Subnet"
        and {"Key": "aws-cdk:subnet-type", "Value": "Public"} in body["Properties"]["Tags"]
    }
    return {
        body["Properties"]["RouteTableId"]["Ref"]
        for body in resources.values()
        if body["Type"] == "AWS::EC2::SubnetRouteTableAssociation"
        and body["Properties"]["SubnetId"]["Ref"] in public
    }


def _beyond(cidr: str | None, vpcs: list[ipaddress.IPv4Network]) -> bool:
    if cidr is None or cidr == NO_EGRESS_PLACEHOLDER:
        return False
    return not any(ipaddress.IPv4Network(cidr).subnet_of(vpc) for vpc in vpcs)


def needs_nat(templates: dict[str, dict]) -> set[tuple[str, str, str]]:
    """``(stack, logical id, why)`` of every rule or route that only a NAT gateway could serve.

    Egress rules may name a security group or a managed prefix list (S3's gateway endpoint):
    both are reachable without one. A CIDR rule must lie inside one of the VPCs (or be CDK's
    placeholder that matches nothing). A route may
    send 0.0.0.0/0 only from a public subnet to the internet gateway.
    """
    vpcs = _vpc_cidrs(templates)
    found = set()
    for stack, template in templates.items():
        resources = template["Resources"]
        public_tables = _public_route_tables(resources)
        for logical_id, body in resources.items():
            for rule in _egress_rules(body):
                if rule.get("CidrIpv6"):
                    found.add((stack, logical_id, f"egress to {rule['CidrIpv6']}"))
                elif _beyond(rule.get("CidrIp"), vpcs):
                    found.add((stack, logical_id, f"egress to {rule['CidrIp']}"))
            if body["Type"] != "AWS::EC2::Route":
                continue
            props = body["Properties"]
            if "NatGatewayId" in props:
                found.add((stack, logical_id, "route to a NAT gateway"))
            elif props.get("DestinationCidrBlock") == "0.0.0.0/0" and not (
                "GatewayId" in props and props["RouteTableId"].get("Ref") in public_tables
            ):
                found.add((stack, logical_id, "default route from a private subnet"))
    return found


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_no_environment_configures_a_nat_gateway(environment):
    network = load_config(environment).network
    assert (network.nat_gateways, network.dr_nat_gateways) == (0, 0)


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_no_stack_in_either_region_has_a_nat_gateway_or_its_address(environment, request):
    templates = _templates(request.getfixturevalue(environment))
    kinds = {
        body["Type"] for template in templates.values() for body in template["Resources"].values()
    }
    assert not kinds & {"AWS::EC2::NatGateway", "AWS::EC2::EIP"}


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_nothing_in_any_stack_needs_a_nat_gateway(environment, request):
    assert needs_nat(_templates(request.getfixturevalue(environment))) == set()


def test_an_egress_rule_beyond_the_vpc_is_found(prod):
    # The check cannot pass vacuously: a rule to one internet address in a copy is found,
    # one to an address inside the VPC is not.
    templates = copy.deepcopy(_templates(prod))
    network = templates["pcs-prod-network"]["Resources"]
    logical_id, group = next(
        (k, v) for k, v in network.items() if v["Type"] == "AWS::EC2::SecurityGroup"
    )
    group["Properties"]["SecurityGroupEgress"] = [
        {"CidrIp": "10.0.10.0/24", "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443},
        {"CidrIp": "203.0.113.7/32", "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443},
    ]
    assert needs_nat(templates) == {("pcs-prod-network", logical_id, "egress to 203.0.113.7/32")}


def test_a_default_route_from_a_private_subnet_is_found(prod):
    templates = copy.deepcopy(_templates(prod))
    network = templates["pcs-prod-network"]["Resources"]
    private_table = next(
        k for k, v in network.items() if v["Type"] == "AWS::EC2::RouteTable" and "private" in k
    )
    network["Egress"] = {
        "Type": "AWS::EC2::Route",
        "Properties": {
            "RouteTableId": {"Ref": private_table},
            "DestinationCidrBlock": "0.0.0.0/0",
            "NatGatewayId": {"Ref": "SomeNat"},
        },
    }
    network["ViaIgw"] = {
        "Type": "AWS::EC2::Route",
        "Properties": {
            "RouteTableId": {"Ref": private_table},
            "DestinationCidrBlock": "0.0.0.0/0",
            "GatewayId": {"Ref": "SomeIgw"},
        },
    }
    assert needs_nat(templates) == {
        ("pcs-prod-network", "Egress", "route to a NAT gateway"),
        ("pcs-prod-network", "ViaIgw", "default route from a private subnet"),
    }
