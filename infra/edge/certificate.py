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
    origin_name: str,
) -> acm.Certificate:
    """One certificate for the public name (CloudFront) and the origin name (the ALB).

    Both consumers sit in the primary region, which configuration pins to us-east-1, the only
    region CloudFront takes certificates from; one certificate means one DNS validation record.
    """
    return acm.Certificate(
        scope,
        construct_id,
        domain_name=domain_name,
        subject_alternative_names=[origin_name],
        validation=acm.CertificateValidation.from_dns(zone),
    )
