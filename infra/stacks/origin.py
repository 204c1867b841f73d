"""A region's origin: its internal ALB, the certificate for the origin name, and the group its
blue/green test traffic comes from.

Regional, and apart from the global edge (CloudFront, WAF, DNS in :mod:`infra.stacks.edge`),
which holds both regions' origins; `ops.dr` moves traffic between them
(docs/decisions/dr-edge-origin-switch.md).
"""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.config import PlatformConfig
from infra.edge.dns import hosted_zone
from infra.edge.load_balancer import api_origin
from infra.network.security_groups import PlatformSecurityGroups
from infra.stacks.base import PlatformStack


class OriginStack(PlatformStack):
    """Exposes :attr:`load_balancer` and :attr:`test_clients`, what the region's ComputeStack
    attaches to."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: PlatformConfig,
        vpc: ec2.IVpc,
        security_groups: PlatformSecurityGroups,
        access_logs_bucket: s3.IBucket,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        edge = config.edge
        # One origin name in both regions: CloudFront checks the same name whichever ALB it
        # reaches, so the switch changes only the origin, and Django's allowed hosts stay the same.
        certificate = acm.Certificate(
            self,
            "Certificate",
            domain_name=edge.origin_name,
            validation=acm.CertificateValidation.from_dns(hosted_zone(self, "Zone", edge=edge)),
        )
        self.load_balancer, self.test_clients = api_origin(
            self,
            config=config,
            vpc=vpc,
            security_groups=security_groups,
            certificate=certificate,
            access_logs_bucket=access_logs_bucket,
        )
