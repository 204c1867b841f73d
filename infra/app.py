"""Composes the platform's stacks for one configuration and registers the compliance gate.

This module and :mod:`infra.cli` are the only places that turn outside input (CDK context, CLI
options) into a :class:`~infra.config.PlatformConfig`; every stack below receives typed objects.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import aws_cdk as cdk

from infra.audit.log_copies import SubscribeLogGroups
from infra.compute.task import IMAGE_TAG_SUFFIXES
from infra.config import ConfigError, PlatformConfig, RegionRole, load_config
from infra.defaults.aspects import InOneVisit
from infra.defaults.fips import FipsEndpoints
from infra.defaults.logs import FunctionLogRetention
from infra.defaults.removal import StatefulRemoval
from infra.gate.nag import register_compliance_packs
from infra.monitoring.canary import region_canary
from infra.monitoring.targets import MonitoredPlatform, cache_node_ids
from infra.monitoring.topic import PagesOnCall
from infra.region import build_region, deploy_order
from infra.stacks.edge import EdgeStack
from infra.stacks.foundation import FoundationStack
from infra.stacks.monitoring import MonitoringStack

# cdk.json's context: the feature flags and cross-stack reference strength the CDK CLI applies
# (docs/decisions/cdk-cli-and-feature-flags.md). `make synth` applies the same.
CDK_JSON = Path(__file__).resolve().parents[1] / "cdk.json"


def cdk_json_flags() -> dict:
    """The feature flags (``@aws-cdk/...`` keys) of ``cdk.json``'s context, as the CLI passes."""
    context = json.loads(CDK_JSON.read_text())["context"]
    return {key: value for key, value in context.items() if key.startswith("@")}


def build_app(config: PlatformConfig, *, outdir: Path | None = None) -> cdk.App:
    """Every stack of ``config`` in one app, with cdk-nag registered: both regions from
    :func:`~infra.region.build_region`, then the global edge and the monitoring over them."""
    app = cdk.App(outdir=str(outdir) if outdir else None, context=cdk_json_flags())
    primary = build_region(app, config, config.region_config(RegionRole.PRIMARY))
    standby = build_region(app, config, config.region_config(RegionRole.STANDBY), primary=primary)
    deploy_order(primary, standby)
    placement: dict[str, Any] = {
        "env": cdk.Environment(account=config.deployment.account, region=primary.config.name),
        "availability_zones": primary.config.availability_zones,
    }
    names = config.names
    assert primary.alerts is not None  # the primary's on-call topic
    edge = EdgeStack(
        app,
        names.stack("edge"),
        config=config,
        logs_key=primary.keys.logs,
        alert_topic=primary.alerts,
        **placement,
    )
    # Its origin name answers once the primary's origin record exists, and its origin header
    # resolves from the foundation's secret: nothing else orders it, as it references neither.
    edge.add_stack_dependency(primary.origin, "its origin name and header come from the origin")
    compute = primary.compute
    foundation = next(s for s in primary.stacks if isinstance(s, FoundationStack))
    MonitoringStack(
        app,
        names.stack("monitoring"),
        config=config,
        platform=MonitoredPlatform(
            load_balancer=primary.origin.load_balancer.load_balancer,
            target_groups=primary.origin.load_balancer.api.pair,
            cluster=compute.cluster,
            services={
                "api": compute.api,
                "worker": compute.worker,
                "beat": compute.beat,
                "web": compute.web,
            },
            database=primary.data_tier.database.cluster,
            cache_nodes=cache_node_ids(
                primary.data_tier.cache.replication_group_id, primary.config.cache.node_count
            ),
            web_acl=edge.web_acl.web_acl,
            web_target_groups=primary.origin.load_balancer.web.pair,
            rollback_alarms=compute.rollback_alarms,
            distribution_id=edge.distribution.distribution_id,
        ),
        topic=primary.alerts,
        # The primary region's synthetic canary (the standby's is in its watch stack).
        canary=lambda stack: region_canary(
            stack,
            config=config,
            names=names,
            token=primary.secrets.smoke_test_token,
            key=primary.keys.logs,
            access_logs_bucket=foundation.access_logs_bucket,
            topic=primary.alerts,
        ),
        **placement,
    )

    cdk.Tags.of(app).add("Environment", config.environment.name)
    # Every log group's 30-month path; the copies' stream stands in the primary's foundation.
    cdk.Aspects.of(app).add(
        InOneVisit(
            StatefulRemoval(destroyable=config.environment.destroyable),
            FipsEndpoints(),
            FunctionLogRetention(config.compute.log_retention_days),
            SubscribeLogGroups(names=names, region=primary.config.name, archive_stack=foundation),
            # Every standby alarm pages on the standby's own topic, not on us-east-1's.
            PagesOnCall(standby.alerts, stacks=standby.stacks),
        )
    )
    cdk.Tags.of(app).add("Compliance", "FedRAMP-Moderate")
    cdk.Tags.of(app).add("Project", "pcs-platform")
    register_compliance_packs(app)
    return app


def main() -> None:
    """Entry point of ``cdk.json``: ``cdk deploy -c deployment=prod -c image_tag=<sha>``.

    ``-c deployment=<name>`` selects ``deployments/<name>.toml``; ``-c tier=`` overrides its tier.
    """
    context_app = cdk.App()
    deployment = context_app.node.try_get_context("deployment") or "prod"
    tier_name = context_app.node.try_get_context("tier")
    image_tag = context_app.node.try_get_context("image_tag")  # the release (docs/deploy.md)
    # The scanned images, per architecture suffix: `-c image_digest_arm64=sha256:...`.
    digests = {
        suffix: str(digest)
        for suffix in IMAGE_TAG_SUFFIXES.values()
        if (digest := context_app.node.try_get_context(f"image_digest_{suffix}"))
    }
    try:
        config = load_config(deployment, tier_name)
        release = {"image_tag": str(image_tag)} if image_tag else {}
        if digests:
            release["image_digests"] = tuple(sorted(digests.items()))
        config = replace(config, delivery=replace(config.delivery, **release))
    except ConfigError as error:
        print(error, file=sys.stderr)  # one line, exit 2 as python -m infra synth does
        raise SystemExit(2) from None
    build_app(config).synth()


if __name__ == "__main__":
    main()
