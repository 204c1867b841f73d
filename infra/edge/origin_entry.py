"""A region's origin entry: the public front of its internal ALB, which the origin name's failover
record answers with, and the private zone that keeps the origin name on the ALB inside the VPC
(docs/decisions/dr-traffic-dns-failover.md).

A DNS failover needs an address per region that CloudFront can reach from the internet; the ALB
stays internal so that the blue/green test clients (the release's test-phase hook, in the VPC,
with no route to the internet) still reach its test listener. The entry is a Network Load
Balancer in the public subnets forwarding TCP 443 to the ALB's production listener: TLS still
ends at the ALB, on its certificate for the origin name.
"""

from __future__ import annotations

from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_elasticloadbalancingv2_targets as targets
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_route53_targets as alias
from constructs import Construct

from infra.config import PlatformConfig
from infra.gate.nag import acknowledge


class OriginEntry(Construct):
    """The internet-facing NLB (:attr:`load_balancer`) in front of ``listener``'s ALB, and the
    private hosted zone of the origin name in ``vpc``, aliased to that ALB."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: PlatformConfig,
        vpc: ec2.IVpc,
        security_group: ec2.ISecurityGroup,
        listener: elbv2.ApplicationListener,
        load_balancer: elbv2.IApplicationLoadBalancer,
    ) -> None:
        super().__init__(scope, construct_id)
        edge, https = config.edge, config.ports.https
        self.load_balancer = elbv2.NetworkLoadBalancer(
            self,
            "Nlb",
            load_balancer_name=f"{config.prefix}-entry",
            vpc=vpc,
            internet_facing=True,
            vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC),
            security_groups=[security_group],
            cross_zone_enabled=True,
            deletion_protection=config.environment.deletion_protection,
        )
        listener_https = self.load_balancer.add_listener(
            "Https", port=https, protocol=elbv2.Protocol.TCP
        )
        acknowledge(
            listener_https,
            "TCP passthrough: TLS ends at the ALB behind it, on the ACM certificate for the "
            "origin name with the FIPS TLS 1.3/1.2 policy (SC-8); terminating here would "
            "decrypt and re-encrypt the same traffic twice.",
            "NIST.800.53.R5-ELBv2ACMCertificateRequired",
        )
        listener_https.add_targets(
            "Alb",
            port=https,
            protocol=elbv2.Protocol.TCP,
            targets=[targets.AlbListenerTarget(listener)],
            health_check=elbv2.HealthCheck(
                protocol=elbv2.Protocol.HTTPS,
                path=edge.entry_health_check_path,
                healthy_http_codes="200",
            ),
        )
        acknowledge(
            self.load_balancer,
            "The entry passes TCP through to the ALB, which terminates TLS and writes every "
            "request to its access log (the access-logs bucket); an NLB writes access logs only "
            "for TLS listeners it terminates. Every connection to the entry's interfaces is in "
            "the VPC flow logs (all traffic), and CloudFront logs every viewer request before it.",
            "NIST.800.53.R5-ELBLoggingEnabled",
            "AwsSolutions-ELB2",
            "CKV_AWS_91",
        )
        if not config.environment.deletion_protection:
            acknowledge(
                self.load_balancer,
                "Deletion protection is off only in environments configured as disposable "
                "(dev); staging and prod enable it, and the entry holds no data.",
                "NIST.800.53.R5-ELBDeletionProtectionEnabled",
            )
        # Inside the VPC the origin name is the region's own ALB: the test-phase hook reaches
        # its test listener by that name, whichever region the public record answers.
        inside = route53.PrivateHostedZone(self, "Inside", zone_name=edge.origin_name, vpc=vpc)
        route53.ARecord(
            self,
            "InsideAlb",
            zone=inside,
            target=route53.RecordTarget.from_alias(alias.LoadBalancerTarget(load_balancer)),
        )
