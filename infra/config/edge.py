"""The edge section: CloudFront, WAF, the ALB's TLS and DNS."""

from __future__ import annotations

from dataclasses import dataclass

from infra.config.errors import ConfigError

# CloudFront viewer security policies that are TLS 1.2 with the 2021 ciphers or newer.
_CLOUDFRONT_TLS_POLICIES = ("TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025")
# CloudFront-scope resources (its certificate, the CLOUDFRONT WAF web ACL) exist only here.
CLOUDFRONT_SCOPE_REGION = "us-east-1"
# Where CloudFront's standard logs (v2) go (docs/decisions/cost-cloudfront-logs-to-s3.md).
ACCESS_LOG_DESTINATIONS = ("s3", "cloudwatch")
# Periods a CloudWatch alarm on a custom metric accepts up to a minute (high resolution below).
_ALARM_PERIODS = (10, 30, 60)


@dataclass(frozen=True)
class EdgeConfig:
    """CloudFront, WAF, the ALB's TLS and DNS."""

    domain_name: str
    hosted_zone_name: str
    hosted_zone_id: str
    waf_rate_limit_per_5_min: int = 2000
    # Next.js's content-hashed build output: cached at the edge for a year, immutable.
    static_path_patterns: tuple[str, ...] = ("/_next/static/*",)
    static_cache_days: int = 365
    # What the ALB's production listener sends to the API; everything else goes to the web app.
    api_path_patterns: tuple[str, ...] = ("/api/*",)
    # CloudFront to viewers: TLS 1.2 with the 2021 cipher set or newer (issue 3; the overview's
    # "TLS 1.3 only" would turn away FedRAMP agency clients still on TLS 1.2, see
    # docs/decisions/edge-tls-policies.md).
    viewer_tls_policy: str = "TLSv1.2_2021"
    # ALB: TLS 1.3 + 1.2 with FIPS-validated ciphers CloudFront can still negotiate.
    alb_ssl_policy: str = "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04"
    # CloudFront reaches the ALBs as origin.<domain> (covered by both regions' certificates),
    # a failover record pair the traffic switch moves (docs/decisions/dr-traffic-dns-failover.md).
    origin_subdomain: str = "origin"
    # The header CloudFront adds, with the secret value both ALBs require (edge/origin_header.py).
    origin_header_name: str = "X-Origin-Verify"
    # What the origin entry (NLB) checks its ALB on: a fixed 200 of the ALB's production
    # listener, under /health* so that CloudFront refuses it to viewers.
    entry_health_check_path: str = "/health/entry"
    # The site's Route 53 health check reads an alarm on CloudFront's 5xx error rate: CloudFront
    # does not route /health* (docs/decisions/edge-health-not-public.md), so Route 53's
    # checkers cannot probe the health endpoint through it.
    site_5xx_rate_threshold_percent: float = 5.0
    health_check_failure_threshold: int = 3  # consecutive breaching minutes
    alb_idle_timeout_seconds: int = 60
    # The traffic switch's alarm (DR region) evaluates one period of this length: a failover's
    # metric write moves traffic one period later, plus Route 53's and the resolvers' delay
    # (docs/decisions/dr-traffic-dns-failover.md).
    traffic_switch_period_seconds: int = 60
    # Target groups: in-flight requests get 30 s to finish when a task leaves (gunicorn's
    # graceful_timeout, service/pcs/gunicorn_conf.py); two passing checks put a task in service.
    deregistration_delay_seconds: int = 30
    target_healthy_threshold: int = 2
    # CloudFront's standard logs (v2): "s3" delivers them into the locked vended-logs bucket
    # beside WAF's (vended to S3 at half CloudWatch's ingestion price, warm a year, cold to 30
    # months); "cloudwatch" into a log group whose 30-month copy is the log-copies stream.
    access_log_destination: str = "s3"

    @property
    def origin_name(self) -> str:
        """The name CloudFront reaches the ALBs by: whichever region the switch selects."""
        return f"{self.origin_subdomain}.{self.domain_name}"

    def __post_init__(self) -> None:
        if self.viewer_tls_policy not in _CLOUDFRONT_TLS_POLICIES:
            raise ConfigError(
                "edge.viewer_tls_policy",
                self.viewer_tls_policy,
                ", ".join(_CLOUDFRONT_TLS_POLICIES),
            )
        if "FIPS" not in self.alb_ssl_policy or "TLS13" not in self.alb_ssl_policy:
            raise ConfigError(
                "edge.alb_ssl_policy",
                self.alb_ssl_policy,
                "an ELBSecurityPolicy-TLS13-*-FIPS-* policy",
            )
        if self.access_log_destination not in ACCESS_LOG_DESTINATIONS:
            raise ConfigError(
                "edge.access_log_destination",
                self.access_log_destination,
                ", ".join(ACCESS_LOG_DESTINATIONS),
            )
        if self.traffic_switch_period_seconds not in _ALARM_PERIODS:
            raise ConfigError(
                "edge.traffic_switch_period_seconds",
                self.traffic_switch_period_seconds,
                ", ".join(map(str, _ALARM_PERIODS)),
            )
        if not 0 < self.site_5xx_rate_threshold_percent < 100:
            raise ConfigError(
                "edge.site_5xx_rate_threshold_percent",
                self.site_5xx_rate_threshold_percent,
                "a percentage between 0 and 100",
            )
