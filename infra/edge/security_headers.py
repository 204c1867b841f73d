"""The browser-facing security headers every CloudFront response carries (issue 15)."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudfront as cloudfront
from constructs import Construct

from infra.config import PlatformConfig
from infra.identity.user_pool import issuer_origin, sign_in_hostname

# HSTS: two years with subdomains and preload, the preload list's minimum being one year.
_HSTS_MAX_AGE = Duration.days(730)


def upload_origins(bucket: str, region: str) -> tuple[str, ...]:
    """The origins the browser posts pre-signed uploads to for ``bucket`` in ``region``.

    The API signs upload forms with FIPS endpoints on (AWS_USE_FIPS_ENDPOINT): s3-fips.
    """
    hosts = ("s3.amazonaws.com", f"s3.{region}.amazonaws.com", f"s3-fips.{region}.amazonaws.com")
    return tuple(f"https://{bucket}.{host}" for host in hosts)


def content_security_policy(config: PlatformConfig) -> str:
    """Only this site's own scripts and styles; the browser talks to the site, the user pool
    (issuer and managed login) and the documents bucket (pre-signed uploads), nothing else.

    The portal's pages send their own policy with a per-request nonce (``web/lib/csp.ts``), which
    this one does not override; this one covers every response that sends none (the API's JSON,
    static files), with no inline script allowed (docs/decisions/edge-security-headers.md).
    """
    deployment = config.deployment
    region = deployment.region
    sign_in = f"https://{sign_in_hostname(config.prefix, deployment.account, region)}"
    uploads = " ".join(upload_origins(config.names.bucket("documents"), region))
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            f"connect-src 'self' {issuer_origin(region)} {sign_in} {uploads}",
            f"form-action 'self' {sign_in} {uploads}",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "object-src 'none'",
            "upgrade-insecure-requests",
        )
    )


def security_headers_policy(
    scope: Construct, construct_id: str, *, config: PlatformConfig
) -> cloudfront.ResponseHeadersPolicy:
    """CSP (unless the origin sent its own: the portal's pages carry a nonce), HSTS, no
    framing, a strict referrer policy and no MIME sniffing, overriding whatever the origin sent."""
    return cloudfront.ResponseHeadersPolicy(
        scope,
        construct_id,
        response_headers_policy_name=f"{config.prefix}-security-headers",
        comment="Security headers of every response of the site",
        security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
            content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                content_security_policy=content_security_policy(config), override=False
            ),
            strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                access_control_max_age=_HSTS_MAX_AGE,
                include_subdomains=True,
                preload=True,
                override=True,
            ),
            frame_options=cloudfront.ResponseHeadersFrameOptions(
                frame_option=cloudfront.HeadersFrameOption.DENY, override=True
            ),
            referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                referrer_policy=cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
                override=True,
            ),
            content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
        ),
    )
