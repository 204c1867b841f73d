"""The delivery section: blue/green release and the CI/CD identity."""

from __future__ import annotations

import re
from dataclasses import dataclass

from infra.config.errors import ConfigError

# What ECR accepts as a tag (a git SHA in practice), leaving room for the "-<arch>" suffix
# within ECR's 128 characters.
_IMAGE_TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,119}")
_IMAGE_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
_IMAGE_SUFFIXES = ("amd64", "arm64")


@dataclass(frozen=True)
class DeliveryConfig:
    """Blue/green release of the API (spec §4.1) and the portal, and the CI/CD identity (§4.2)."""

    github_repository: str  # owner/name, from the deployment file
    test_traffic_minutes: int = 5
    # After the test phase ECS moves this share of production traffic to green and waits this
    # long (the green error-rate alarm watching), then moves the rest and bakes
    # (docs/decisions/delivery-release-gates.md).
    canary_percent: float = 10
    canary_minutes: int = 10
    bake_minutes: int = 15
    github_branch: str = "main"
    # The released image; `cdk deploy -c image_tag=<git sha>` sets it (docs/deploy.md); tasks
    # run <image_tag>-arm64 or <image_tag>-amd64. The placeholder only lets the app synthesize
    # before the first release.
    image_tag: str = "unreleased"
    # The scanned images by digest, ((architecture suffix, sha256:...), ...): `cdk deploy -c
    # image_digest_arm64=sha256:...` runs exactly the bytes the scan passed; without, the tag.
    image_digests: tuple[tuple[str, str], ...] = ()
    # The GitHub environment the deploy job runs in (required reviewers); the deploy role trusts
    # only its OIDC subject, repo:<repository>:environment:<name>.
    github_environment: str = "prod"
    # The test-phase hook smoke-tests the green tasks through the test listener this often
    # (readiness at this path, then the documents API as the smoke-test tenant), and fails the
    # deployment (rollback) at the first failed step (docs/decisions/delivery-release-gates.md).
    test_probe_path: str = "/health/ready"
    test_probe_interval_seconds: int = 15
    # The portal's hook, after its liveness route (compute.web_health_check_path), renders this
    # page and expects HTML carrying this marker, which only the portal's root layout writes
    # (its metadata title): a page that fails to render answers 500 or another document.
    web_test_page_path: str = "/documents"
    web_test_page_marker: str = "<title>PCS Platform</title>"
    # IAM allows one GitHub OIDC provider per account: the first environment in an account
    # creates it, the others set this to False and reference it by ARN.
    create_oidc_provider: bool = True

    def __post_init__(self) -> None:
        if not 1 <= self.test_traffic_minutes <= 10:
            # The hook holds the test phase in one Lambda invocation (15-minute ceiling).
            raise ConfigError("delivery.test_traffic_minutes", self.test_traffic_minutes, "1..10")
        if not 0.1 <= self.canary_percent <= 100 or round(self.canary_percent * 10) != (
            self.canary_percent * 10
        ):
            raise ConfigError(
                "delivery.canary_percent", self.canary_percent, "0.1..100 in steps of 0.1"
            )
        if not 0 <= self.canary_minutes <= 1440:
            raise ConfigError("delivery.canary_minutes", self.canary_minutes, "0..1440 (ECS limit)")
        if not 0 <= self.bake_minutes <= 1440:
            raise ConfigError("delivery.bake_minutes", self.bake_minutes, "0..1440 (ECS limit)")
        if not _IMAGE_TAG.fullmatch(self.image_tag):
            raise ConfigError(
                "delivery.image_tag", self.image_tag, "[A-Za-z0-9_.-], 1-120 characters"
            )
        for suffix, digest in self.image_digests:
            if suffix not in _IMAGE_SUFFIXES:
                raise ConfigError("delivery.image_digests", suffix, ", ".join(_IMAGE_SUFFIXES))
            if not _IMAGE_DIGEST.fullmatch(digest):
                raise ConfigError("delivery.image_digests", digest, "sha256:<64 hex digits>")
        if self.github_repository.count("/") != 1:
            raise ConfigError("delivery.github_repository", self.github_repository, "owner/name")
