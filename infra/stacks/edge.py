"""The edge: certificate, internal ALB, WAF, CloudFront and DNS (us-east-1: CloudFront scope)."""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.config import PlatformConfig
from infra.edge.certificate import site_certificate
from infra.edge.cloudfront import EdgeDistribution
from infra.edge.dns import SiteRecords, hosted_zone, site_health_check
from infra.edge.load_balancer import ApiLoadBalancer
from infra.edge.waf import EdgeWebAcl
from infra.network.security_groups import PlatformSecurityGroups
from infra.stacks.base import PlatformStack


class EdgeStack(PlatformStack):
    """Exposes :attr:`load_balancer` (ALB, listeners, blue and green target groups),
    :attr:`test_clients` (the only security group the test listener admits),
    :attr:`distribution`, :attr:`web_acl` and :attr:`health_check`."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: PlatformConfig,
        vpc: ec2.IVpc,
        security_groups: PlatformSecurityGroups,
        access_logs_bucket: s3.IBucket,
        logs_key: kms.IKey,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        edge = config.edge
        origin_name = f"{edge.origin_subdomain}.{edge.domain_name}"
        zone = hosted_zone(self, "Zone", edge=edge)
        certificate = site_certificate(
            self, "Certificate", zone=zone, domain_name=edge.domain_name, origin_name=origin_name
        )
        self.load_balancer = ApiLoadBalancer(
            self,
            "Api",
            config=config,
            vpc=vpc,
            security_group=security_groups.alb,
            certificate=certificate,
            access_logs_bucket=access_logs_bucket,
        )
        self.test_clients = self._test_clients(config, vpc, security_groups.alb)
        self.web_acl = EdgeWebAcl(self, "Waf", config=config, logs_key=logs_key)
        self.distribution = EdgeDistribution(
            self,
            "Cdn",
            config=config,
            load_balancer=self.load_balancer.load_balancer,
            origin_name=origin_name,
            certificate=certificate,
            web_acl_arn=self.web_acl.web_acl.attr_arn,
            logs_key=logs_key,
        ).distribution
        SiteRecords(
            self,
            "Records",
            zone=zone,
            domain_name=edge.domain_name,
            origin_name=origin_name,
            distribution=self.distribution,
            load_balancer=self.load_balancer.load_balancer,
        )
        self.health_check = site_health_check(
            self,
            "HealthCheck",
            prefix=config.prefix,
            edge=edge,
            distribution=self.distribution,
        )

    def _test_clients(
        self, config: PlatformConfig, vpc: ec2.IVpc, alb: ec2.ISecurityGroup
    ) -> ec2.SecurityGroup:
        """The group of whatever sends blue/green test traffic: it reaches the test port only."""
        port = config.ports.blue_green_test
        clients = ec2.SecurityGroup(
            self,
            "TestClients",
            vpc=vpc,
            security_group_name=f"{config.prefix}-bluegreen-test-sg",
            description=f"{config.prefix} blue/green test traffic to the ALB test listener",
            allow_all_outbound=False,
        )
        clients.add_egress_rule(alb, ec2.Port.tcp(port), "To the ALB test listener")
        # Created here, not on the ALB group's stack, so the network stack needs no reference
        # back to this one.
        ec2.CfnSecurityGroupIngress(
            self,
            "AlbTestListenerIngress",
            group_id=alb.security_group_id,
            source_security_group_id=clients.security_group_id,
            ip_protocol="tcp",
            from_port=port,
            to_port=port,
            description="Blue/green test traffic from the test clients only",
        )
        return clients
