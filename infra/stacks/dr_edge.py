"""The DR region's half of the edge: its internal ALB, built by the primary's constructs.

The primary's distribution holds this ALB as its standby VPC origin; `ops.dr` moves traffic to
it (docs/decisions/dr-edge-origin-switch.md). CloudFront, its certificate and the web ACL stay
in us-east-1.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.config import PlatformConfig
from infra.edge.dns import hosted_zone
from infra.edge.load_balancer import api_origin
from infra.network.security_groups import PlatformSecurityGroups
from infra.stacks.base import PlatformStack


class DrEdgeStack(PlatformStack):
    """Exposes :attr:`load_balancer` and :attr:`test_clients` (what the DR region's ComputeStack
    attaches to, as the primary's does to the edge stack's) and the replicated image
    repositories, :attr:`repository` and :attr:`web_repository`."""

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
        # The primary's origin name: CloudFront checks the same name whichever ALB it reaches,
        # so the switch changes only the origin, and Django's allowed hosts stay the same.
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
        # ECR replication creates these in this region with the primary's names.
        names = config.names
        self.repository = ecr.Repository.from_repository_name(
            self, "Repository", names.image_repository
        )
        self.web_repository = ecr.Repository.from_repository_name(
            self, "WebRepository", names.web_image_repository
        )
