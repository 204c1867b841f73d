"""Aurora Global Database: the primary cluster's global cluster and its DR-region secondary.

Storage-level replication (typically under a second of lag) gives a region failure an RPO far
inside a minute; the secondary is promoted by ``switchover_global_cluster`` (planned, RPO 0) or
``failover_global_cluster`` (unplanned) from ``python -m ops.dr``
(docs/decisions/dr-global-database.md).
"""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kms as kms
from aws_cdk import aws_rds as rds
from constructs import Construct

from infra.config import DatabaseConfig, Ports
from infra.data.aurora import LOG_EXPORTS, enhanced_monitoring_role
from infra.data.aurora_parameters import cluster_parameters, instance_parameters
from infra.gate.nag import acknowledge

# Performance Insights' free retention, the primary's (PerformanceInsightRetention.DEFAULT).
PERFORMANCE_INSIGHTS_DEFAULT_DAYS = 7


class GlobalCluster(Construct):
    """Makes ``cluster`` the primary of the global cluster ``identifier`` (primary region)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        identifier: str,
        cluster: rds.IDatabaseCluster,
        deletion_protection: bool,
    ) -> None:
        super().__init__(scope, construct_id)
        self.global_cluster = rds.CfnGlobalCluster(
            self,
            "Global",
            global_cluster_identifier=identifier,
            source_db_cluster_identifier=cluster.cluster_identifier,
            deletion_protection=deletion_protection,
        )


class SecondaryCluster(Construct):
    """The DR region's member of the global cluster: headless, or one Serverless v2 reader.

    Built in the DR region's data stack from the same database section as the primary; its
    storage is encrypted with the DR region's own key (a KMS key cannot leave its region).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        prefix: str,
        identifier: str,
        global_identifier: str,
        database: DatabaseConfig,
        ports: Ports,
        vpc: ec2.IVpc,
        security_group: ec2.ISecurityGroup,
        key: kms.IKey,
    ) -> None:
        super().__init__(scope, construct_id)
        subnets = vpc.select_subnets(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)
        subnet_group = rds.CfnDBSubnetGroup(
            self,
            "Subnets",
            db_subnet_group_description=f"{prefix}: DR-region secondary of the global database",
            subnet_ids=subnets.subnet_ids,
        )
        low, high = database.dr_reader_acu
        # The primary's parameters (TLS only, pgaudit, the managed RPO): this cluster runs with
        # them from the moment it is promoted.
        family = f"aurora-postgresql{database.engine_major_version}"
        cluster_parameter_group = rds.CfnDBClusterParameterGroup(
            self,
            "ClusterParameters",
            family=family,
            description=f"{prefix} Aurora PostgreSQL cluster parameters (spec §3.2), DR region",
            parameters=cluster_parameters(database),
        )
        self.cluster = rds.CfnDBCluster(
            self,
            "Cluster",
            db_cluster_identifier=identifier,
            global_cluster_identifier=global_identifier,
            engine="aurora-postgresql",
            engine_version=database.engine_version,
            db_cluster_parameter_group_name=cluster_parameter_group.ref,
            db_subnet_group_name=subnet_group.ref,
            vpc_security_group_ids=[security_group.security_group_id],
            port=ports.postgres,
            storage_encrypted=True,
            kms_key_id=key.key_arn,
            backup_retention_period=database.backup_retention_days,
            preferred_backup_window=database.backup_window,
            preferred_maintenance_window=database.maintenance_window,
            copy_tags_to_snapshot=True,
            deletion_protection=database.deletion_protection,
            enable_iam_database_authentication=True,
            enable_cloudwatch_logs_exports=list(LOG_EXPORTS),
            serverless_v2_scaling_configuration=rds.CfnDBCluster.ServerlessV2ScalingConfigurationProperty(
                min_capacity=low, max_capacity=high
            ),
        )
        self.cluster.apply_removal_policy(RemovalPolicy.SNAPSHOT)
        if not database.deletion_protection:
            acknowledge(
                self.cluster,
                "Deletion protection is off only where the environment turns it off (dev: "
                "synthetic data, torn down routinely), as for the primary cluster; staging and "
                "prod enable it, and the cluster is snapshotted on removal.",
                "AwsSolutions-RDS10",
                "NIST.800.53.R5-RDSInstanceDeletionProtectionEnabled",
            )
        self.reader = None
        if database.dr_reader:
            # The promoted writer: Performance Insights (under this region's key) and Enhanced
            # Monitoring from the start, as the primary's instances have.
            self.reader = rds.CfnDBInstance(
                self,
                "Reader",
                db_instance_identifier=f"{identifier}-reader-1",
                db_cluster_identifier=self.cluster.ref,
                db_instance_class="db.serverless",
                engine="aurora-postgresql",
                db_parameter_group_name=rds.CfnDBParameterGroup(
                    self,
                    "InstanceParameters",
                    family=family,
                    description=f"{prefix} Aurora PostgreSQL instance parameters, DR region",
                    parameters=instance_parameters(database),
                ).ref,
                publicly_accessible=False,
                auto_minor_version_upgrade=True,
                enable_performance_insights=True,
                performance_insights_kms_key_id=key.key_arn,
                performance_insights_retention_period=PERFORMANCE_INSIGHTS_DEFAULT_DAYS,
                monitoring_interval=database.monitoring_interval_seconds,
                monitoring_role_arn=enhanced_monitoring_role(self, "MonitoringRole").role_arn,
            )
        acknowledge(
            self,
            "The secondary is a member of the global database: its data is the primary's, "
            "replicated by Aurora storage; point-in-time recovery (35 days) and the locked "
            "backup vault cover CP-9 at the primary, and the cluster itself keeps 35 days of "
            "automated backups in this region. It inherits the primary's credentials (the "
            "replicated master secret).",
            "NIST.800.53.R5-RDSInBackupPlan",
            "AwsSolutions-RDS6",
            "AwsSolutions-RDS11",
            "AwsSolutions-RDS14",
            "NIST.800.53.R5-RDSInstancePublicAccessCheck",
            "NIST.800.53.R5-RDSMultiAZSupport",
        )
