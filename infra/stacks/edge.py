"""The global edge: the site's certificate, WAF, CloudFront and DNS (us-east-1: CloudFront's
scope), in front of the origin name both regions' origins answer (:mod:`infra.stacks.origin`)."""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from constructs import Construct

from infra.config import PlatformConfig
from infra.edge.certificate import site_certificate
from infra.edge.cloudfront import EdgeDistribution
from infra.edge.dns import SiteRecords, hosted_zone, site_health_check
from infra.edge.waf import EdgeWebAcl
from infra.stacks.base import PlatformStack


class EdgeStack(PlatformStack):
    """Exposes :attr:`distribution`, :attr:`web_acl` and :attr:`health_check`.

    Its one origin is the origin name, whose records the regions' origin stacks hold: nothing
    here names a regional resource.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: PlatformConfig,
        logs_key: kms.IKey,
        alert_topic: sns.ITopic,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        edge = config.edge
        zone = hosted_zone(self, "Zone", edge=edge)
        certificate = site_certificate(self, "Certificate", zone=zone, domain_name=edge.domain_name)
        self.web_acl = EdgeWebAcl(self, "Waf", config=config)
        self.distribution = EdgeDistribution(
            self,
            "Cdn",
            config=config,
            origin_name=edge.origin_name,
            certificate=certificate,
            web_acl_arn=self.web_acl.web_acl.attr_arn,
            logs_key=logs_key,
        ).distribution
        SiteRecords(
            self,
            "Records",
            zone=zone,
            domain_name=edge.domain_name,
            distribution=self.distribution,
        )
        self.health_check = site_health_check(
            self,
            "HealthCheck",
            prefix=config.prefix,
            edge=edge,
            distribution=self.distribution,
            alert_topic=alert_topic,
        )
