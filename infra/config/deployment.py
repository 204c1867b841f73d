"""What one deployment is: the operator's file, the environment class and the scale tier.

The operator's values (account, regions, AZs, domain, zone, alert addresses, repository) live in
``deployments/<name>.toml`` and nowhere else; environments and tiers are data in
``infra/config/environments.toml`` and ``infra/config/tiers.toml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from infra.config.edge import CLOUDFRONT_SCOPE_REGION
from infra.config.errors import ConfigError

_ACCOUNT = re.compile(r"\d{12}")
_REGION = re.compile(r"[a-z]{2}(-gov)?-[a-z]+-\d")
_HOSTED_ZONE_ID = re.compile(r"Z[A-Z0-9]{1,31}")
_DOMAIN = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
_EMAIL = re.compile(r"[^@\s]+@[a-z0-9.-]+\.[a-z]{2,63}")
_REPOSITORY = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
_ROLE_NAME = re.compile(r"[\w+=,.@-]{1,64}")
# An IAM user or role (a trailing * matches Identity Center's generated role suffix).
_PRINCIPAL_ARN = re.compile(r"arn:aws(-us-gov)?:iam::\d{12}:(user|role)/[\w+=,.@/-]+\*?")


def _check_zones(field_name: str, zones: tuple[str, ...], region: str) -> None:
    if (
        len(zones) < 2
        or len(set(zones)) != len(zones)
        or not all(zone.startswith(region) and len(zone) == len(region) + 1 for zone in zones)
    ):
        raise ConfigError(field_name, list(zones), f"2 or more distinct AZs of {region}")


@dataclass(frozen=True)
class Deployment:
    """One operator's deployment of the platform: where it runs and who hears about it."""

    name: str
    environment: str  # dev, staging or prod (infra/config/environments.toml)
    account: str
    region: str
    availability_zones: tuple[str, ...]
    dr_region: str
    dr_availability_zones: tuple[str, ...]
    domain_name: str
    hosted_zone_name: str
    hosted_zone_id: str
    alert_emails: tuple[str, ...]
    github_repository: str
    # The IAM role (in ``account``) that alone may delete, disable or re-policy the platform's
    # KMS keys; the services and tasks only use them (docs/decisions/security-key-administrator.md).
    key_administrator_role: str
    # Who may assume the MFA-gated role that turns ECS Exec on for one service where the
    # environment keeps it off (docs/runbook.md, "Break glass: a shell in a task").
    break_glass_principals: tuple[str, ...] = ()
    # A pager or chat endpoint (HTTPS webhook) every alarm notifies too, beside alert_emails.
    alert_https_endpoints: tuple[str, ...] = ()
    tier: str | None = None  # None: the environment's default tier

    def __post_init__(self) -> None:
        if not _ACCOUNT.fullmatch(self.account):
            raise ConfigError("account", self.account, "12 digits")
        # The edge stack (CloudFront's certificate, the CLOUDFRONT-scope web ACL) is deployed to
        # the primary region, so the primary region must be the one CloudFront scope lives in.
        if self.region != CLOUDFRONT_SCOPE_REGION:
            raise ConfigError(
                "region",
                self.region,
                f"{CLOUDFRONT_SCOPE_REGION} (CloudFront certificates and web ACLs live there)",
            )
        if not _REGION.fullmatch(self.dr_region) or self.dr_region == self.region:
            raise ConfigError(
                "dr_region", self.dr_region, f"an AWS region other than {self.region}"
            )
        _check_zones("availability_zones", self.availability_zones, self.region)
        _check_zones("dr_availability_zones", self.dr_availability_zones, self.dr_region)
        if not _DOMAIN.fullmatch(self.hosted_zone_name):
            raise ConfigError("hosted_zone_name", self.hosted_zone_name, "a DNS name")
        if not _DOMAIN.fullmatch(self.domain_name) or not (
            self.domain_name.endswith(f".{self.hosted_zone_name}")
            or self.domain_name == self.hosted_zone_name
        ):
            raise ConfigError(
                "domain_name", self.domain_name, f"a DNS name in {self.hosted_zone_name}"
            )
        if not _HOSTED_ZONE_ID.fullmatch(self.hosted_zone_id):
            raise ConfigError("hosted_zone_id", self.hosted_zone_id, "a Route 53 id (Z...)")
        if not self.alert_emails or not all(_EMAIL.fullmatch(a) for a in self.alert_emails):
            raise ConfigError("alert_emails", list(self.alert_emails), "1 or more e-mail addresses")
        if not _REPOSITORY.fullmatch(self.github_repository):
            raise ConfigError("github_repository", self.github_repository, "owner/name")
        if not _ROLE_NAME.fullmatch(self.key_administrator_role):
            raise ConfigError(
                "key_administrator_role", self.key_administrator_role, "an IAM role name"
            )
        for principal in self.break_glass_principals:
            if not _PRINCIPAL_ARN.fullmatch(principal):
                raise ConfigError(
                    "break_glass_principals", principal, "IAM user or role ARNs (arn:aws:iam::…)"
                )


@dataclass(frozen=True)
class Environment:
    """A class of environment (dev, staging, prod): how safely the platform runs there."""

    name: str
    default_tier: str
    deletion_protection: bool = True
    # Deleting a stack deletes what it keeps (buckets, keys, secrets, log groups); otherwise
    # they are retained once created (infra/defaults/removal.py).
    destroyable: bool = False


@dataclass(frozen=True)
class Tier:
    """A scale tier: the user count it is sized for (its sizes are section values)."""

    name: str
    users: int
