"""CloudFront in front of the regions' ALBs: one origin, the origin name, which the traffic
switch points at one region or the other (:mod:`infra.edge.traffic_switch`)."""

from __future__ import annotations

from pathlib import Path

from aws_cdk import Duration, Stack
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.audit.log_copies import waf_log_bucket_name
from infra.config import PlatformConfig
from infra.defaults.logs import encrypted_log_group
from infra.edge.origin_header import origin_header_value
from infra.edge.security_headers import security_headers_policy
from infra.gate.nag import acknowledge

# Viewer-request function of every behaviour that is not a static path: refuses /health*.
REFUSE_HEALTH_FUNCTION = Path(__file__).parent / "functions" / "refuse_health.js"


class EdgeDistribution(Construct):
    """HTTPS-only viewers, HTTPS to the ALB, caching only on the static paths.

    The API's responses are per-tenant, so the default behaviour forwards every viewer header
    (including Host) and caches nothing; the static paths use the managed caching policy. The
    default behaviour refuses ``/health*`` at the edge (a viewer-request function); no other
    behaviour's path pattern can match it.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: PlatformConfig,
        origin_name: str,
        certificate: acm.ICertificate,
        web_acl_arn: str,
        logs_key: kms.IKey,
    ) -> None:
        super().__init__(scope, construct_id)
        edge = config.edge
        origin = origins.HttpOrigin(
            origin_name,
            protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            https_port=config.ports.https,
            origin_ssl_protocols=[cloudfront.OriginSslPolicy.TLS_V1_2],
            origin_id=config.names.cdn_origin,
            # What both ALBs require of a request besides CloudFront's addresses.
            custom_headers={edge.origin_header_name: origin_header_value(config.names)},
        )
        refuse_health = cloudfront.Function(
            self,
            "RefuseHealth",
            function_name=f"{config.prefix}-refuse-health",
            comment="The health endpoints answer the load balancer only",
            code=cloudfront.FunctionCode.from_file(file_path=str(REFUSE_HEALTH_FUNCTION)),
            runtime=cloudfront.FunctionRuntime.JS_2_0,
        )
        headers = security_headers_policy(self, "SecurityHeaders", config=config)
        static = cloudfront.BehaviorOptions(
            origin=origin,
            viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
            allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
            cache_policy=self._immutable_static_cache(config),
            response_headers_policy=headers,
            compress=True,
        )
        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment=f"{config.prefix} API",
            domain_names=[edge.domain_name],
            certificate=certificate,
            minimum_protocol_version=cloudfront.SecurityPolicyProtocol(
                _VIEWER_POLICIES[edge.viewer_tls_policy]
            ),
            ssl_support_method=cloudfront.SSLMethod.SNI,
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            web_acl_id=web_acl_arn,
            default_behavior=cloudfront.BehaviorOptions(
                origin=origin,
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
                cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
                # Every viewer header plus CloudFront's, among them CloudFront-Viewer-Address:
                # the audit trail's source IP.
                origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_AND_CLOUDFRONT_2022,
                response_headers_policy=headers,
                function_associations=[
                    cloudfront.FunctionAssociation(
                        function=refuse_health,
                        event_type=cloudfront.FunctionEventType.VIEWER_REQUEST,
                    )
                ],
            ),
            additional_behaviors={pattern: static for pattern in edge.static_path_patterns},
        )
        acknowledge(
            self.distribution,
            "No country is refused: an agency's members sign in from wherever they work, and "
            "FedRAMP Moderate asks for no geographic restriction. Every request passes the web "
            "ACL (IP reputation, known bad inputs, per-IP rate limit) and every session needs "
            "MFA.",
            "AwsSolutions-CFR1",
        )
        self._deliver_access_logs(config, logs_key)

    def _immutable_static_cache(self, config: PlatformConfig) -> cloudfront.CachePolicy:
        """Content-hashed build files: a year at the edge whatever the origin says, keyed on
        the path alone (a new build has new file names, so nothing is ever invalidated)."""
        year = Duration.days(config.edge.static_cache_days)
        return cloudfront.CachePolicy(
            self,
            "ImmutableStatic",
            cache_policy_name=f"{config.prefix}-immutable-static",
            comment="Next.js /_next/static: content-hashed, cached for a year",
            default_ttl=year,
            min_ttl=year,
            max_ttl=year,
            cookie_behavior=cloudfront.CacheCookieBehavior.none(),
            header_behavior=cloudfront.CacheHeaderBehavior.none(),
            query_string_behavior=cloudfront.CacheQueryStringBehavior.none(),
            enable_accept_encoding_gzip=True,
            enable_accept_encoding_brotli=True,
        )

    def _deliver_access_logs(self, config: PlatformConfig, logs_key: kms.IKey) -> None:
        """Standard logging v2 of every request (AU-2, AU-12), kept 30 months (AU-11).

        ``edge.access_log_destination = "s3"``: into the locked vended-logs bucket beside WAF's
        (its policy admits this account's log deliveries under ``AWSLogs/<account>/``, where
        CloudFront's key prefix starts); ``"cloudwatch"``: into a KMS-encrypted log group,
        copied by the log-copies stream. The legacy S3 logging needs an ACL-enabled bucket,
        which the platform's buckets refuse.
        """
        prefix = config.prefix
        if config.edge.access_log_destination == "s3":
            partition = Stack.of(self).partition
            destination_arn = f"arn:{partition}:s3:::{waf_log_bucket_name(config.names)}"
            where = "the locked vended-logs bucket (Object Lock COMPLIANCE for 30 months)"
        else:
            destination_arn = encrypted_log_group(
                self,
                "AccessLogs",
                key=logs_key,
                retention_days=config.compute.log_retention_days,
                log_group_name=f"/aws/cloudfront/{prefix}",
            ).log_group_arn
            where = "a KMS-encrypted CloudWatch log group kept for the AU-11 retention"
        source = logs.CfnDeliverySource(
            self,
            "AccessLogSource",
            name=f"{prefix}-cdn-access",
            log_type="ACCESS_LOGS",
            resource_arn=self.distribution.distribution_arn,
        )
        destination = logs.CfnDeliveryDestination(
            self,
            "AccessLogDestination",
            name=f"{prefix}-cdn-access",
            destination_resource_arn=destination_arn,
        )
        delivery = logs.CfnDelivery(
            self,
            "AccessLogDelivery",
            delivery_source_name=source.name,
            delivery_destination_arn=destination.attr_arn,
        )
        delivery.add_resource_dependency(source)
        acknowledge(
            self.distribution,
            "Access logs are delivered by CloudFront standard logging v2 (AWS::Logs::Delivery) "
            f"to {where}; the rule only recognises the legacy S3 logging, which needs bucket "
            "ACLs the platform disables.",
            "AwsSolutions-CFR3",
            "CKV_AWS_86",
        )


# Configuration names CloudFront's policies as AWS does; the L2 enum by member name.
_VIEWER_POLICIES = {
    "TLSv1.2_2021": "TLS_V1_2_2021",
    "TLSv1.2_2025": "TLS_V1_2_2025",
    "TLSv1.3_2025": "TLS_V1_3_2025",
}
