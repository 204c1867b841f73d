"""Every physical name of the platform, derived once: the stacks and ``ops/`` read them here.

Names are built from the deployment (prefix ``pcs-<environment>``, account, regions), never
looked up, so one stack can name what another region's stack creates (replica buckets, the DR
vault, the deploy role's scoped ARNs) and ``ops/`` finds what the infrastructure created.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from infra.config import PlatformConfig


# The switch's namespace, the same in every deployment: the release path's guardrails deny
# writing it to every platform role (infra/delivery/bootstrap.py).
TRAFFIC_SWITCH_NAMESPACE = "PCS/Traffic"


@dataclass(frozen=True)
class TrafficSwitch:
    """The switch that moves the site between regions with us-east-1's control planes down.

    A custom metric in the DR region: ``PRIMARY`` (1) while the primary region serves,
    ``STANDBY`` (0) after a failover. Its alarm, evaluated in the DR region, goes to ALARM on a
    0; the origin name's primary failover record carries a Route 53 health check reading that
    alarm, so Route 53 answers the DR region's origin entry
    (docs/decisions/dr-traffic-dns-failover.md).
    """

    PRIMARY = 1.0
    STANDBY = 0.0

    namespace: str
    metric: str
    dimensions: tuple[tuple[str, str], ...]
    alarm: str  # the alarm's name, in ``region``
    region: str  # where the metric is written and the alarm evaluated: the DR region


@dataclass(frozen=True)
class PlatformNames:
    """The names of one deployment's resources."""

    prefix: str
    account: str
    region: str  # where these names' regional resources are: the primary, or the DR region
    dr_region: str
    # IAM names are global: the DR region's roles end in its region (pcs-prod-api-task-us-west-2).
    iam_suffix: str = ""

    @classmethod
    def of(cls, config: PlatformConfig) -> PlatformNames:
        """The names of ``config``'s deployment."""
        deployment = config.deployment
        return cls(
            prefix=config.prefix,
            account=deployment.account,
            region=deployment.region,
            dr_region=deployment.dr_region,
        )

    def in_standby(self) -> PlatformNames:
        """The names as the DR region's stacks use them: regional names are the primary's (the
        runbook and ``ops/`` find both regions' resources by one name), IAM names end in the DR
        region (pcs-prod-api-task-us-west-2) because IAM is global."""
        return replace(self, region=self.dr_region, iam_suffix=f"-{self.dr_region}")

    def stack(self, unit: str) -> str:
        """A CloudFormation stack: ``<prefix>-<unit>`` (``pcs-prod-compute``)."""
        return f"{self.prefix}-{unit}"

    # ECS
    @property
    def ecs_cluster(self) -> str:
        """The ECS cluster every service runs in."""
        return f"{self.prefix}-cluster"

    def service(self, role: str) -> str:
        """The ECS service of ``role`` (api, worker, beat)."""
        return f"{self.prefix}-{role}"

    def task_family(self, role: str) -> str:
        """The task-definition family of ``role`` (api, worker, beat, migrate)."""
        return f"{self.prefix}-{role}"

    def task_log_group(self, role: str) -> str:
        """The log group of ``role``'s containers."""
        return f"/ecs/{self.prefix}/{role}"

    @property
    def exec_log_group(self) -> str:
        """The log group of ECS Exec sessions."""
        return f"/ecs/{self.prefix}/exec"

    def security_group(self, role: str) -> str:
        """The security group of ``role`` (alb, api, worker, beat, migrate, web, database, ...);
        the deploy workflow finds the migrate task's by this name."""
        return f"{self.prefix}-{role}-sg"

    def role(self, service: str, kind: str) -> str:
        """The IAM role of ``service`` of ``kind`` (``execution`` or ``task``)."""
        return f"{self.prefix}-{service}-{kind}{self.iam_suffix}"

    def break_glass_role(self, service: str) -> str:
        """The MFA-gated role that may turn ECS Exec on for ``service`` (docs/runbook.md)."""
        return f"{self.prefix}-{service}-break-glass{self.iam_suffix}"

    @property
    def image_repository(self) -> str:
        """The ECR repository of the app image (API, worker, Beat, migrate)."""
        return f"{self.prefix}/app"

    @property
    def web_image_repository(self) -> str:
        """The ECR repository of the web front end's image."""
        return f"{self.prefix}/web"

    @property
    def deploy_role(self) -> str:
        """The role GitHub Actions assumes to release (OIDC)."""
        return f"{self.prefix}-github-deploy"

    # Data tier
    @property
    def aurora_cluster(self) -> str:
        """The Aurora cluster identifier."""
        return f"{self.prefix}-aurora"

    @property
    def global_cluster(self) -> str:
        """The Aurora global database the cluster is the primary of."""
        return f"{self.prefix}-global"

    @property
    def secondary_cluster(self) -> str:
        """The global database's member in the DR region."""
        return f"{self.prefix}-aurora-secondary"

    def aurora_log_group(self, log_type: str) -> str:
        """The log group Aurora exports ``log_type`` (postgresql) to; named by RDS."""
        return f"/aws/rds/cluster/{self.aurora_cluster}/{log_type}"

    @property
    def master_secret(self) -> str:
        """The Aurora master credentials (rotated; the migrate task's login)."""
        return self.secret("database/master")

    @property
    def app_secret(self) -> str:
        """The services' database login (DML only, row-level security applies)."""
        return self.secret("database/app")

    @property
    def publisher_secret(self) -> str:
        """The outbox publisher's database login (the worker's `publisher` alias)."""
        return self.secret("database/publisher")

    @property
    def cache_replication_group(self) -> str:
        """The ElastiCache replication group."""
        return f"{self.prefix}-cache"

    def cache_log_group(self, log_type: str) -> str:
        """The log group of the cache's ``log_type`` (slow-log, engine-log)."""
        return f"/aws/elasticache/{self.cache_replication_group}/{log_type}"

    @property
    def kafka_cluster(self) -> str:
        """The MSK cluster."""
        return f"{self.prefix}-kafka"

    @property
    def kafka_log_group(self) -> str:
        """The log group of the MSK brokers."""
        return f"/aws/msk/{self.kafka_cluster}/broker"

    @property
    def kafka_bootstrap_secret(self) -> str:
        """The MSK bootstrap-broker list (re-read from MSK on every deploy)."""
        return self.secret("kafka/bootstrap-servers")

    @property
    def user_pool(self) -> str:
        """The Cognito user pool, the same name in each region that has one."""
        return f"{self.prefix}-users"

    @property
    def cdn_origin(self) -> str:
        """The distribution's one origin: the origin name, answered by whichever region's origin
        entry the traffic switch selects (docs/decisions/dr-traffic-dns-failover.md)."""
        return f"{self.prefix}-origin"

    @property
    def origin_header_secret(self) -> str:
        """The value CloudFront sends in the origin header and both regions' ALBs require:
        generated in the primary, replicated to the DR region under the same name."""
        return self.secret("edge/origin-header")

    @property
    def traffic_switch(self) -> TrafficSwitch:
        """The metric ``ops.dr`` writes in the DR region to move traffic, and its alarm."""
        return TrafficSwitch(
            namespace=TRAFFIC_SWITCH_NAMESPACE,
            metric="PrimaryServes",
            dimensions=(("Deployment", self.prefix),),
            alarm=self.alarm("primary-serves"),
            region=self.dr_region,
        )

    def secret(self, name: str) -> str:
        """A Secrets Manager secret: ``<prefix>/<name>``."""
        return f"{self.prefix}/{name}"

    def bucket(self, purpose: str) -> str:
        """An S3 bucket: ``<prefix>-<purpose>-<account>`` (bucket names are global)."""
        return f"{self.prefix}-{purpose}-{self.account}"

    def replica_bucket(self, purpose: str) -> str:
        """The DR region's replica of the ``purpose`` bucket."""
        return self.bucket(f"{purpose}-replica")

    def key_alias(self, domain: str) -> str:
        """The alias of the KMS key of ``domain`` (``alias/<prefix>/<domain>``)."""
        return f"alias/{self.prefix}/{domain}"

    # Backups
    @property
    def backup_vault(self) -> str:
        """The primary region's backup vault."""
        return f"{self.prefix}-backup-vault"

    @property
    def dr_backup_vault(self) -> str:
        """The DR region's vault, which receives a copy of every recovery point."""
        return f"{self.prefix}-dr-backup-vault"

    @property
    def archive_export_prefix(self) -> str:
        """The monthly Aurora exports' task names: ``<this>-YYYY-MM`` (one a month)."""
        return f"{self.prefix}-archive"

    def dr_backup_vault_arn(self, partition: str = "aws") -> str:
        """ARN of :attr:`dr_backup_vault`, built from its name (vault ARNs are fixed)."""
        return (
            f"arn:{partition}:backup:{self.dr_region}:{self.account}"
            f":backup-vault:{self.dr_backup_vault}"
        )

    # Audit
    @property
    def trail(self) -> str:
        """The platform's multi-region CloudTrail trail."""
        return f"{self.prefix}-audit"

    # Monitoring
    def alarm(self, name: str) -> str:
        """A CloudWatch alarm: ``<prefix>-<name>``."""
        return f"{self.prefix}-{name}"

    # Identity: the pool-admin function (the tasks' only way to the user pools' Admin* calls)
    @property
    def pool_admin_function(self) -> str:
        """The region's pool-admin Lambda function (the same name in each region)."""
        return f"{self.prefix}-pool-admin"

    @property
    def pool_admin_role(self) -> str:
        """Its role; the DR region's ends in its region (IAM is global), and the DR stack grants
        the primary's, by this name, its own pool (created after the primary)."""
        return f"{self.prefix}-pool-admin{self.iam_suffix}"
