"""What the DR commands act on by default, derived from the platform's config (no AWS calls)."""

from __future__ import annotations

from dataclasses import dataclass

from infra.config import CapacityMode, PlatformConfig, ServiceScaling
from infra.monitoring.dr_readiness import expected_of
from infra.monitoring.readiness.drift import Expected
from infra.names import TrafficSwitch


@dataclass(frozen=True)
class DrTargets:
    """Names the infrastructure gives the resources a restore starts from."""

    region: str
    dr_region: str
    account: str
    source_cluster: str
    credentials_secret: str
    dr_vault: str
    engine_version: str
    writer_instance_class: str  # the tier's: db.serverless, or a provisioned db.* class
    serverless_scaling: tuple[float, float] | None  # (min, max) ACU; None when provisioned
    ecs_cluster: str
    services: dict[str, ServiceScaling]  # the writers: ECS service name -> configured counts
    front_end: dict[str, ServiceScaling]  # the web service (no database access), for region moves
    database_name: str
    archive_bucket: str  # the monthly exports (infra/backup/archive.py)
    archive_prefix: str  # export task names: <archive_prefix>-YYYY-MM
    global_cluster: str  # the Aurora global database (infra/data/global_database.py)
    secondary_cluster: str  # its member in the DR region
    traffic_switch: TrafficSwitch  # the metric that moves traffic, and its alarm (DR region)
    traffic_switch_period_seconds: int  # the one period its alarm evaluates
    readiness: Expected  # what the DR readiness checks expect (the scheduled function's too)

    @classmethod
    def of(cls, config: PlatformConfig) -> DrTargets:
        """The defaults of ``config``'s deployment at its tier (cluster, secret, vaults, counts)."""
        names = config.names
        database = config.database
        serverless = database.capacity_mode is CapacityMode.SERVERLESS_V2
        writer_class = "db.serverless" if serverless else f"db.{database.instance_class}"
        return cls(
            region=names.region,
            dr_region=names.dr_region,
            account=names.account,
            source_cluster=names.aurora_cluster,
            credentials_secret=names.master_secret,
            dr_vault=names.dr_backup_vault,
            engine_version=database.engine_version,
            writer_instance_class=writer_class,
            serverless_scaling=(
                (database.serverless_min_acu, database.serverless_max_acu) if serverless else None
            ),
            ecs_cluster=names.ecs_cluster,
            services={
                names.service(role): getattr(config.compute, role)
                for role in ("api", "worker", "beat")
            },
            front_end={names.service("web"): config.compute.web},
            database_name=database.database_name,
            archive_bucket=names.bucket("backups"),
            archive_prefix=names.archive_export_prefix,
            global_cluster=names.global_cluster,
            secondary_cluster=names.secondary_cluster,
            traffic_switch=names.traffic_switch,
            traffic_switch_period_seconds=config.edge.traffic_switch_period_seconds,
            readiness=expected_of(config),
        )

    def cluster_arn(self, cluster: str, *, partition: str = "aws") -> str:
        """ARN of ``cluster`` in the primary region (how AWS Backup names the copied resource)."""
        return f"arn:{partition}:rds:{self.region}:{self.account}:cluster:{cluster}"
