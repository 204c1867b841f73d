"""The site's ACM certificate, validated by DNS in the platform's hosted zone."""

from __future__ import annotations

from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_route53 as route53
from constructs import Construct


def site_certificate(
    scope: Construct,
    construct_id: str,
    *,
    zone: route53.IHostedZone,
    domain_name: str,
) -> acm.Certificate:
    """The public name's certificate (CloudFront's, so in us-east-1, the only region CloudFront
    takes certificates from). Each region's ALB has its own for the origin name
    (:mod:`infra.stacks.origin`)."""
    return acm.Certificate(
        scope,
        construct_id,
        domain_name=domain_name,
        validation=acm.CertificateValidation.from_dns(zone),
    )
