"""What the cost model produces: priced line items, resources it could not price, components."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Components: the spec's §7 rows first (same names), then what the spec leaves out.
API = "ECS Fargate (API)"
CELERY = "ECS Fargate (Celery)"
WEB = "ECS Fargate (Next.js)"
ECS_OTHER = "ECS Fargate (other)"
AURORA = "Aurora PostgreSQL"
CACHE = "ElastiCache"
KAFKA = "MSK (Kafka)"
ALB = "ALB"
NAT = "NAT Gateway"
S3 = "S3 Storage"
CLOUDWATCH = "CloudWatch"
TRANSFER = "Data Transfer"
PUBLIC_IPV4 = "Public IPv4"
ENDPOINTS = "VPC endpoints"
CLOUDFRONT = "CloudFront"
WAF = "WAF"
KMS = "KMS"
SECRETS = "Secrets Manager"
BACKUP = "AWS Backup"
ROUTE53 = "Route 53"
SECURITY = "Security services"
ECR = "ECR"
COGNITO = "Cognito (sign-in)"
AUDIT_ARCHIVE = "Firehose (audit archive)"
LOG_COPIES = "Log copies (30 months)"

COMPONENTS = (
    API,
    CELERY,
    WEB,
    ECS_OTHER,
    AURORA,
    CACHE,
    KAFKA,
    ALB,
    NAT,
    S3,
    CLOUDWATCH,
    TRANSFER,
    PUBLIC_IPV4,
    ENDPOINTS,
    CLOUDFRONT,
    WAF,
    KMS,
    SECRETS,
    BACKUP,
    ROUTE53,
    SECURITY,
    ECR,
    COGNITO,
    AUDIT_ARCHIVE,
    LOG_COPIES,
)


@dataclass(frozen=True)
class LineItem:
    """The monthly cost of one charge of one resource, on-demand and under commitments.

    ``one_year`` and ``three_year`` equal ``on_demand`` where AWS offers no commitment for the
    charge (``commitment`` says which offer applies, or "none").
    """

    component: str
    resource: str
    resource_type: str
    description: str
    quantity: float
    unit: str
    on_demand: float
    one_year: float
    three_year: float
    commitment: str = "none"
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class NotPriced:
    """A resource the model could not price, and why: listed in every output, never dropped."""

    resource: str
    resource_type: str
    reason: str
