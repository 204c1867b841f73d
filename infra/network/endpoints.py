"""VPC endpoints that keep AWS API traffic off the NAT gateways (and its per-GB charge)."""

from __future__ import annotations

from aws_cdk import aws_ec2 as ec2
from constructs import Construct


class ServiceEndpoints(Construct):
    """An S3 gateway endpoint and one interface endpoint per configured AWS service."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        vpc: ec2.IVpc,
        services: tuple[str, ...],
        security_group: ec2.ISecurityGroup,
    ) -> None:
        super().__init__(scope, construct_id)
        self.s3 = vpc.add_gateway_endpoint(
            "S3",
            service=ec2.GatewayVpcEndpointAwsService.S3,
            subnets=[
                ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
                ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
            ],
        )
        self.interfaces = {
            service: vpc.add_interface_endpoint(
                service.replace(".", "-").title().replace("-", ""),
                service=ec2.InterfaceVpcEndpointAwsService(service),
                private_dns_enabled=True,
                open=False,
                security_groups=[security_group],
                subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
            )
            for service in services
        }
