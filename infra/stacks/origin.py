"""A region's origin: its internal ALB, the certificate for the origin name, the public entry in
front of the ALB with the region's record of that name, and the group its blue/green test
traffic comes from.

Regional, and apart from the global edge (CloudFront, WAF, the site's DNS in
:mod:`infra.stacks.edge`), whose one origin is the origin name; the traffic switch decides
which region's record answers it (:mod:`infra.edge.traffic_switch`).
"""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.config import PlatformConfig, RegionConfig
from infra.edge.dns import hosted_zone
from infra.edge.load_balancer import api_origin
from infra.edge.origin_entry import OriginEntry
from infra.edge.origin_header import origin_header_value
from infra.edge.traffic_switch import origin_record
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
        region: RegionConfig,
        vpc: ec2.IVpc,
        security_groups: PlatformSecurityGroups,
        access_logs_bucket: s3.IBucket,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        edge = config.edge
        # One origin name in both regions: CloudFront checks the same name whichever ALB it
        # reaches, so the switch changes only the origin, and Django's allowed hosts stay the same.
        zone = hosted_zone(self, "Zone", edge=edge)
        certificate = acm.Certificate(
            self,
            "Certificate",
            domain_name=edge.origin_name,
            validation=acm.CertificateValidation.from_dns(zone),
        )
        self.load_balancer, self.test_clients = api_origin(
            self,
            config=config,
            vpc=vpc,
            security_groups=security_groups,
            certificate=certificate,
            access_logs_bucket=access_logs_bucket,
            origin_header=(edge.origin_header_name, origin_header_value(config.names)),
        )
        alb = self.load_balancer
        entry = OriginEntry(
            self,
            "Entry",
            config=config,
            vpc=vpc,
            security_group=security_groups.entry,
            listener=alb.production_listener,
            load_balancer=alb.load_balancer,
        ).load_balancer
        origin_record(
            self,
            "OriginRecord",
            zone=zone,
            origin_name=edge.origin_name,
            load_balancer=entry,
            region=region.name,
            switch=None if region.standby else config.names.traffic_switch,
        )
