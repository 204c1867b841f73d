"""VPC endpoints that keep AWS API traffic off the NAT gateways."""

from __future__ import annotations

from tests.infra.conftest import resources


def _endpoints(result) -> list[dict]:
    return [e["Properties"] for e in resources(result, "network", "AWS::EC2::VPCEndpoint").values()]


def _interfaces(result) -> list[dict]:
    return [e for e in _endpoints(result) if e.get("VpcEndpointType") != "Gateway"]


def test_s3_gateway_endpoint_serves_private_and_database_route_tables(prod):
    gateways = [e for e in _endpoints(prod) if e.get("VpcEndpointType") == "Gateway"]
    assert len(gateways) == 1
    assert gateways[0]["ServiceName"]["Fn::Join"][1][-1] == ".s3"
    assert len(gateways[0]["RouteTableIds"]) == 6


def test_interface_endpoints_cover_ecr_logs_secrets_kms_and_sts(prod):
    # ServiceName is com.amazonaws.<region>.<service>
    services = sorted(e["ServiceName"].split(".", 3)[3] for e in _interfaces(prod))
    assert services == ["ecr.api", "ecr.dkr", "kms", "logs", "secretsmanager", "sts"]


def test_interface_endpoints_use_private_dns_in_the_three_private_subnets(prod):
    assert all(e["PrivateDnsEnabled"] and len(e["SubnetIds"]) == 3 for e in _interfaces(prod))
