"""The VPC with the spec's exact subnet CIDRs (spec §1.1)."""

from __future__ import annotations

from aws_cdk import Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.config import NetworkConfig
from infra.defaults.functions import acknowledge_plain_environment
from infra.gate.nag import HANDLER_FUNCTION_RULES, HANDLER_ROLE_RULES, acknowledge

PUBLIC, PRIVATE, DATABASE = "public", "private", "database"


class PlatformVpc(Construct):
    """Three subnet tiers over the configured AZs, ``config.nat_gateways`` NAT gateways (none by
    default: nothing egresses), flow logs to S3.

    CDK allocates subnet CIDRs itself (10.0.0.0/24, 10.0.1.0/24, … in order); the spec fixes
    them, so each subnet's CIDR is set from config after CDK lays the subnets out.
    """

    def __init__(
        self, scope: Construct, construct_id: str, *, config: NetworkConfig, logs_bucket: s3.IBucket
    ) -> None:
        super().__init__(scope, construct_id)
        self.vpc = ec2.Vpc(
            self,
            "Vpc",
            ip_addresses=ec2.IpAddresses.cidr(config.vpc_cidr),
            availability_zones=list(config.availability_zones),
            enable_dns_hostnames=True,
            enable_dns_support=True,
            nat_gateways=config.nat_gateways,
            restrict_default_security_group=True,
            subnet_configuration=[
                ec2.SubnetConfiguration(
                    name=PUBLIC,
                    subnet_type=ec2.SubnetType.PUBLIC,
                    cidr_mask=24,
                    map_public_ip_on_launch=False,
                ),
                ec2.SubnetConfiguration(
                    name=PRIVATE, subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS, cidr_mask=24
                ),
                ec2.SubnetConfiguration(
                    name=DATABASE, subnet_type=ec2.SubnetType.PRIVATE_ISOLATED, cidr_mask=24
                ),
            ],
        )
        for subnets, cidrs in (
            (self.vpc.public_subnets, config.public_subnet_cidrs),
            (self.vpc.private_subnets, config.private_subnet_cidrs),
            (self.vpc.isolated_subnets, config.database_subnet_cidrs),
        ):
            for subnet, cidr in zip(subnets, cidrs, strict=True):
                subnet.node.default_child.cidr_block = cidr

        for subnet in self.vpc.public_subnets:
            acknowledge(
                subnet,
                "Public subnets hold the origin entry (an NLB admitting 443 only from "
                "CloudFront's origin-facing prefix list, in front of the internal ALB) and NAT "
                "gateways where config turns them on (none by default), which need the route to "
                "the internet gateway; no instance or task has a public IP "
                "(MapPublicIpOnLaunch off).",
                "NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW",
            )
        acknowledge(
            self.vpc,
            "The zones are the deployment file's (deployments/*.toml availability_zones), named "
            "so that synth needs no account lookup and every region's subnets and CIDRs are "
            "reviewable in the template (docs/decisions/config-deployment-model.md).",
            "CloudFormation-Validate::W3010",
        )
        self._acknowledge_default_group_handler()
        self.vpc.add_flow_log(
            "FlowLogs",
            destination=ec2.FlowLogDestination.to_s3(logs_bucket, "vpc-flow-logs/"),
            traffic_type=ec2.FlowLogTrafficType(config.flow_log_traffic_type),
        )

    def _acknowledge_default_group_handler(self) -> None:
        """CDK's stack-level handler behind ``restrict_default_security_group``."""
        handler = Stack.of(self).node.find_child(
            "Custom::VpcRestrictDefaultSGCustomResourceProvider"
        )
        acknowledge_plain_environment(handler)
        acknowledge(
            handler,
            "CDK's deploy-time handler that strips the default security group's rules: only "
            "CloudFormation invokes it, on VPC create and update, and it calls only the EC2 API "
            "(so it needs no VPC placement); a failure fails and rolls back the deployment, so a "
            "dead-letter queue or reserved concurrency adds nothing.",
            "CKV_AWS_115",
            "CKV_AWS_116",
            "CKV_AWS_117",
            *HANDLER_FUNCTION_RULES,
        )
        acknowledge(
            handler,
            "CDK's role of the default-group handler: CDK writes its policy (inline, with the "
            "Lambda basic execution managed policy for its logs), limited to the ingress and "
            "egress rules of this VPC's default security group; the role lives and dies with "
            "its stack.",
            *HANDLER_ROLE_RULES[:2],
        )
