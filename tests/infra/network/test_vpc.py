"""The VPC of spec §1.1: CIDRs, DNS, subnets, routes, flow logs, default security group."""

from __future__ import annotations

from aws_cdk.assertions import Match

from tests.infra.conftest import resources, template


def _subnet_cidrs(result, tier: str) -> list[str]:
    subnets = resources(result, "network", "AWS::EC2::Subnet")
    return sorted(
        s["Properties"]["CidrBlock"]
        for s in subnets.values()
        if {"Key": "aws-cdk:subnet-name", "Value": tier} in s["Properties"]["Tags"]
    )


def test_vpc_is_10_0_0_0_16_with_dns_support_and_hostnames(prod):
    template(prod, "network").has_resource_properties(
        "AWS::EC2::VPC",
        {"CidrBlock": "10.0.0.0/16", "EnableDnsSupport": True, "EnableDnsHostnames": True},
    )


def test_vpc_has_exactly_nine_subnets(prod):
    template(prod, "network").resource_count_is("AWS::EC2::Subnet", 9)


def test_public_subnets_are_10_0_1_to_3(prod):
    assert _subnet_cidrs(prod, "public") == ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"]


def test_private_subnets_are_10_0_10_to_12(prod):
    assert _subnet_cidrs(prod, "private") == ["10.0.10.0/24", "10.0.11.0/24", "10.0.12.0/24"]


def test_database_subnets_are_10_0_20_to_22(prod):
    assert _subnet_cidrs(prod, "database") == ["10.0.20.0/24", "10.0.21.0/24", "10.0.22.0/24"]


def test_each_tier_spreads_over_three_availability_zones(prod):
    subnets = resources(prod, "network", "AWS::EC2::Subnet").values()
    zones = {s["Properties"]["AvailabilityZone"] for s in subnets}
    assert zones == {"us-east-1a", "us-east-1b", "us-east-1c"}


def test_no_subnet_maps_public_ips_on_launch(prod):
    subnets = resources(prod, "network", "AWS::EC2::Subnet").values()
    assert all(s["Properties"]["MapPublicIpOnLaunch"] is False for s in subnets)


def test_database_subnets_have_no_route_to_the_internet(prod):
    routes = resources(prod, "network", "AWS::EC2::Route")
    assert not [logical_id for logical_id in routes if "databaseSubnet" in logical_id]


def test_private_subnets_have_no_default_route_without_a_nat(prod):
    routes = resources(prod, "network", "AWS::EC2::Route")
    assert (
        sorted(r["Properties"]["GatewayId"]["Ref"] for r in routes.values())
        == ["NetworkVpcIGW6BEA7B02"] * 3
    )


def test_flow_logs_capture_all_traffic_to_the_logs_bucket(prod):
    template(prod, "network").has_resource_properties(
        "AWS::EC2::FlowLog",
        {
            "TrafficType": "ALL",
            "LogDestinationType": "s3",
            "LogDestination": {
                "Fn::Join": [
                    "",
                    [
                        {"Fn::ImportValue": Match.string_like_regexp("foundation:.*Logs")},
                        Match.any_value(),
                    ],
                ]
            },
        },
    )


def test_default_security_group_is_closed(prod):
    template(prod, "network").has_resource_properties(
        "Custom::VpcRestrictDefaultSG", {"DefaultSecurityGroupId": Match.any_value()}
    )


def test_the_named_zones_of_both_regions_subnets_are_acknowledged_not_reported(prod):
    # CloudFormation Validate warns about every hard-coded zone; the deployment file names them.
    reported = [f.path for f in prod.nag_findings if f.rule.endswith("W3010")]
    assert [path for path in reported if "/Vpc/" in path] == []
