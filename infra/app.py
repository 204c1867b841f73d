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

from infra.compute.task import IMAGE_TAG_SUFFIXES
from infra.config import ConfigError, PlatformConfig, load_config
from infra.config.network import dr_region_network
from infra.defaults.fips import FipsEndpoints
from infra.defaults.removal import StatefulRemoval
from infra.gate.nag import register_compliance_packs
from infra.monitoring.targets import MonitoredPlatform, cache_node_ids
from infra.stacks.audit import AuditStack
from infra.stacks.backup import BackupStack
from infra.stacks.compute import ComputeStack
from infra.stacks.data import DataStack
from infra.stacks.delivery import DeliveryStack
from infra.stacks.dr_backup import DrBackupStack
from infra.stacks.dr_edge import DrEdgeStack
from infra.stacks.dr_region import DrDatabaseStack
from infra.stacks.dr_storage import DrStorageStack
from infra.stacks.edge import EdgeStack
from infra.stacks.foundation import FoundationStack
from infra.stacks.identity import IdentityStack
from infra.stacks.monitoring import AlertsStack, MonitoringStack
from infra.stacks.network import NetworkStack

# cdk.json's context: the feature flags and cross-stack reference strength the CDK CLI applies
# (docs/decisions/cdk-cli-and-feature-flags.md). `make synth` applies the same.
CDK_JSON = Path(__file__).resolve().parents[1] / "cdk.json"


def cdk_json_flags() -> dict:
    """The feature flags (``@aws-cdk/...`` keys) of ``cdk.json``'s context, as the CLI passes."""
    context = json.loads(CDK_JSON.read_text())["context"]
    return {key: value for key, value in context.items() if key.startswith("@")}


def build_app(config: PlatformConfig, *, outdir: Path | None = None) -> cdk.App:
    """Every stack of ``config`` in one app, with cdk-nag registered."""
    app = cdk.App(outdir=str(outdir) if outdir else None, context=cdk_json_flags())
    deployment = config.deployment
    primary: dict[str, Any] = {
        "env": cdk.Environment(account=deployment.account, region=deployment.region),
        "availability_zones": deployment.availability_zones,
    }
    dr: dict[str, Any] = {
        "env": cdk.Environment(account=deployment.account, region=deployment.dr_region),
        "availability_zones": deployment.dr_availability_zones,
    }
    names = config.names

    foundation = FoundationStack(app, names.stack("foundation"), config=config, **primary)
    network = NetworkStack(
        app,
        names.stack("network"),
        config=config,
        logs_bucket=foundation.logs_bucket,
        **primary,
    )
    # Replica buckets live in the DR region; the data stack names them, so it deploys after.
    dr_storage = DrStorageStack(
        app,
        names.stack("dr-storage"),
        config=config,
        **dr,
    )
    data = DataStack(
        app,
        names.stack("data"),
        config=config,
        vpc=network.vpc,
        security_groups=network.security_groups,
        keys=foundation.keys,
        secrets=foundation.secrets,
        access_logs_bucket=foundation.access_logs_bucket,
        **primary,
    )
    data.add_stack_dependency(dr_storage, "replicates into the DR region's replica buckets")
    # The pilot-light DR region: the same network construct with the DR layout, and the
    # global database's secondary, which joins the global cluster the data stack creates.
    dr_config = replace(
        config,
        network=dr_region_network(
            config.network, deployment.dr_region, deployment.dr_availability_zones
        ),
        in_dr_region=True,
    )
    dr_network = NetworkStack(
        app,
        names.stack("dr-network"),
        config=dr_config,
        logs_bucket=dr_storage.access_logs_bucket,
        **dr,
    )
    dr_database = DrDatabaseStack(
        app,
        names.stack("dr-database"),
        config=dr_config,
        vpc=dr_network.vpc,
        security_groups=dr_network.security_groups,
        storage_key=dr_storage.key,
        secrets_key=dr_storage.secrets_key,
        replicas=dr_storage.replicas,
        **dr,
    )
    dr_database.add_stack_dependency(data, "joins the global cluster the data stack creates")
    dr_database.add_stack_dependency(foundation, "reads the replicas of its generated secrets")
    foundation.add_stack_dependency(dr_storage, "replicates its secrets under the DR secrets key")
    # The DR region's ALB: the distribution's standby origin, a reference across regions.
    dr_edge = DrEdgeStack(
        app,
        names.stack("dr-edge"),
        config=dr_config,
        vpc=dr_network.vpc,
        security_groups=dr_network.security_groups,
        access_logs_bucket=dr_storage.access_logs_bucket,
        cross_region_references=True,
        **dr,
    )
    dr_backup = DrBackupStack(
        app,
        names.stack("dr-backup"),
        config=config,
        **dr,
    )
    # Before backup and compute: the archive's and the API's alarms notify this topic.
    alerts = AlertsStack(
        app, names.stack("alerts"), config=config, sns_key=foundation.keys.sns, **primary
    )
    backups = BackupStack(
        app,
        names.stack("backup"),
        config=config,
        backup_key=foundation.keys.backup,
        archive_key=foundation.keys.storage,
        logs_key=foundation.keys.logs,
        data_tier=data.data_tier,
        topic=alerts.topic,
        **primary,
    )
    backups.add_stack_dependency(
        dr_backup, "copies every recovery point into the DR region's vault"
    )

    audit = AuditStack(
        app,
        names.stack("audit"),
        config=config,
        logs_bucket=foundation.logs_bucket,
        logs_key=foundation.keys.logs,
        audit_key=foundation.keys.audit,
        access_logs_bucket=foundation.access_logs_bucket,
        cross_region_references=True,  # the DR worker writes to the same audit stream
        **primary,
    )
    identity = IdentityStack(
        app,
        names.stack("identity"),
        config=config,
        sign_in_events=audit.archive.sign_in,
        logs_key=foundation.keys.logs,
        cross_region_references=True,  # the DR services accept the same pool's tokens
        **primary,
    )

    edge = EdgeStack(
        app,
        names.stack("edge"),
        config=config,
        vpc=network.vpc,
        security_groups=network.security_groups,
        access_logs_bucket=foundation.access_logs_bucket,
        logs_key=foundation.keys.logs,
        standby_load_balancer=dr_edge.load_balancer.load_balancer,
        cross_region_references=True,
        **primary,
    )
    delivery = DeliveryStack(app, names.stack("delivery"), config=config, **primary)
    compute = ComputeStack(
        app,
        names.stack("compute"),
        config=config,
        vpc=network.vpc,
        security_groups=network.security_groups,
        keys=foundation.keys,
        secrets=foundation.secrets,
        data_tier=data.data_tier,
        edge=edge,
        repository=delivery.repository,
        web_repository=delivery.web_repository,
        identity=identity.endpoint,
        audit_events=audit.archive.application,
        **primary,
    )
    # The pilot-light DR region's services: the same stack, every service at 0 tasks, on the
    # DR region's data tier, ALB, keys and replicated images (dr-pilot-light-region.md).
    ComputeStack(
        app,
        names.stack("dr-compute"),
        config=dr_config,
        vpc=dr_network.vpc,
        security_groups=dr_network.security_groups,
        keys=dr_database.keys,
        secrets=dr_database.secrets,
        data_tier=dr_database.data_tier,
        edge=dr_edge,
        repository=dr_edge.repository,
        web_repository=dr_edge.web_repository,
        identity=identity.endpoint,
        audit_events=audit.archive.application,
        cross_region_references=True,
        **dr,
    ).add_stack_dependency(delivery, "runs the images the delivery stack replicates here")
    MonitoringStack(
        app,
        names.stack("monitoring"),
        config=config,
        platform=MonitoredPlatform(
            load_balancer=edge.load_balancer.load_balancer,
            target_groups=(edge.load_balancer.blue, edge.load_balancer.green),
            cluster=compute.cluster,
            services={
                "api": compute.api,
                "worker": compute.worker,
                "beat": compute.beat,
                "web": compute.web,
            },
            database=data.data_tier.database.cluster,
            cache_nodes=cache_node_ids(
                data.data_tier.cache.replication_group_id, config.cache.node_count
            ),
            web_acl=edge.web_acl.web_acl,
            api_5xx_alarm=compute.api_5xx_alarm,
            web_target_group=edge.load_balancer.web,
            web_5xx_alarm=compute.web_5xx_alarm,
        ),
        topic=alerts.topic,
        **primary,
    )

    cdk.Tags.of(app).add("Environment", config.environment.name)
    cdk.Aspects.of(app).add(StatefulRemoval(destroyable=config.environment.destroyable))
    cdk.Aspects.of(app).add(FipsEndpoints())
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
