"""Aurora PostgreSQL (spec §3.1): a writer and readers over the isolated subnets' AZs."""

from __future__ import annotations

from typing import cast

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_rds as rds
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infra.config import CapacityMode, DatabaseConfig, Ports
from infra.data.aurora_parameters import cluster_parameters, instance_parameters
from infra.data.aurora_rotation import CredentialRotation
from infra.data.outputs import DatabaseEndpoints
from infra.defaults.logs import encrypted_log_group
from infra.gate.nag import acknowledge
from infra.names import PlatformNames

LOG_EXPORTS = ("postgresql",)  # the only log type Aurora PostgreSQL exports


class AuroraDatabase(Construct):
    """The cluster, its custom reader endpoint and rotated credentials; see :attr:`endpoints`."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        names: PlatformNames,
        database: DatabaseConfig,
        ports: Ports,
        vpc: ec2.IVpc,
        availability_zones: tuple[str, ...],
        security_group: ec2.ISecurityGroup,
        endpoints_security_group: ec2.ISecurityGroup,
        key: kms.IKey,
        logs_key: kms.IKey,
        secrets_replica: secretsmanager.ReplicaRegion,
    ) -> None:
        super().__init__(scope, construct_id)
        prefix = names.prefix
        cluster_identifier = names.aurora_cluster
        engine = rds.DatabaseClusterEngine.aurora_postgres(
            version=rds.AuroraPostgresEngineVersion.of(
                database.engine_version, database.engine_major_version
            )
        )
        # Created before the cluster so the exported log is encrypted and retained from the start.
        log_groups = [
            encrypted_log_group(
                self,
                f"{log_type.title()}Log",
                key=logs_key,
                retention_days=database.log_retention_days,
                log_group_name=names.aurora_log_group(log_type),
            )
            for log_type in LOG_EXPORTS
        ]
        instance_parameter_group = rds.ParameterGroup(
            self,
            "InstanceParameters",
            engine=engine,
            description=f"{prefix} Aurora PostgreSQL instance parameters",
            parameters=instance_parameters(database),
        )
        monitoring_role = enhanced_monitoring_role(self, "MonitoringRole")

        def instance(name: str, *, index: int) -> rds.IClusterInstance:
            reader = index > 0
            options = {
                "instance_identifier": f"{cluster_identifier}-{name}",
                # Writer in the first AZ, each reader in the next: one instance per AZ.
                "availability_zone": availability_zones[index % len(availability_zones)],
                "parameter_group": instance_parameter_group,
                "publicly_accessible": False,
                "auto_minor_version_upgrade": True,
                "enable_performance_insights": True,
                "performance_insight_encryption_key": key,
                "performance_insight_retention": rds.PerformanceInsightRetention.DEFAULT,
                "preferred_maintenance_window": database.maintenance_window,
                "apply_immediately": False,
            }
            # Readers sit in promotion tier 1 (failover targets at the writer's size).
            if database.capacity_mode is CapacityMode.SERVERLESS_V2:
                return rds.ClusterInstance.serverless_v2(
                    name.title(), scale_with_writer=reader, **options
                )
            return rds.ClusterInstance.provisioned(
                name.title(),
                instance_type=ec2.InstanceType(database.instance_class),
                promotion_tier=1 if reader else 0,
                **options,
            )

        reader_names = [f"reader-{number}" for number in range(1, database.reader_count + 1)]
        # Rules this cluster adds to its group (the rotation Lambda's ingress) belong to this
        # stack: the network stack's group, imported here, keeps them here instead of making the
        # network stack depend on the data stack.
        cluster_group = ec2.SecurityGroup.from_security_group_id(
            self,
            "DatabaseSecurityGroup",
            security_group.security_group_id,
            allow_all_outbound=False,
            mutable=True,
        )
        serverless = database.capacity_mode is CapacityMode.SERVERLESS_V2
        self.cluster = rds.DatabaseCluster(
            self,
            "Cluster",
            engine=engine,
            cluster_identifier=cluster_identifier,
            default_database_name=database.database_name,
            credentials=rds.Credentials.from_generated_secret(
                database.master_username,
                encryption_key=key,
                secret_name=names.master_secret,
                replica_regions=[secrets_replica],
            ),
            writer=instance("writer", index=0),
            readers=[
                instance(name, index=index) for index, name in enumerate(reader_names, start=1)
            ],
            serverless_v2_min_capacity=database.serverless_min_acu if serverless else None,
            serverless_v2_max_capacity=database.serverless_max_acu if serverless else None,
            vpc=vpc,
            vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
            security_groups=[cluster_group],
            port=ports.postgres,
            parameter_group=rds.ParameterGroup(
                self,
                "ClusterParameters",
                engine=engine,
                description=f"{prefix} Aurora PostgreSQL cluster parameters (spec §3.2)",
                parameters=cluster_parameters(database),
            ),
            storage_encryption_key=key,
            backup=rds.BackupProps(
                retention=Duration.days(database.backup_retention_days),
                preferred_window=database.backup_window,
            ),
            copy_tags_to_snapshot=True,
            preferred_maintenance_window=database.maintenance_window,
            deletion_protection=database.deletion_protection,
            removal_policy=RemovalPolicy.SNAPSHOT,
            iam_authentication=True,
            monitoring_interval=Duration.seconds(database.monitoring_interval_seconds),
            monitoring_role=monitoring_role,
            enable_performance_insights=True,
            performance_insight_encryption_key=key,
            performance_insight_retention=rds.PerformanceInsightRetention.DEFAULT,
            database_insights_mode=rds.DatabaseInsightsMode.STANDARD,
            cloudwatch_logs_exports=list(LOG_EXPORTS),
        )
        for log_group in log_groups:
            self.cluster.node.add_dependency(log_group)
        acknowledge(
            self.cluster,
            "Aurora's continuous automated backups (point-in-time recovery over "
            f"{database.backup_retention_days} days, KMS-encrypted) cover CP-9 for the cluster; "
            "the seven-year copies of spec §6.1 come from the AWS Backup plan, which selects "
            "the cluster (backup stack), not its instances.",
            "NIST.800.53.R5-RDSInBackupPlan",
        )
        if not database.deletion_protection:
            acknowledge(
                self.cluster,
                "Deletion protection is off only where the environment turns it off (dev: "
                "synthetic data, torn down routinely); staging and prod enable it, and the "
                "cluster is snapshotted on removal in every environment.",
                "AwsSolutions-RDS10",
                "NIST.800.53.R5-RDSInstanceDeletionProtectionEnabled",
            )
        # from_generated_secret always gives the cluster a secret (``cluster.secret`` is its
        # attachment). The secret itself outlives the cluster: a restored snapshot keeps the
        # same master password.
        credentials = cast(secretsmanager.ISecret, self.cluster.secret)
        generated = cast(secretsmanager.Secret, self.cluster.node.find_child("Secret"))
        generated.apply_removal_policy(RemovalPolicy.RETAIN)

        rotation = CredentialRotation(
            self,
            "Rotation",
            prefix=prefix,
            master_credentials=credentials,
            rotation_days=database.credential_rotation_days,
            ports=ports,
            vpc=vpc,
            database_security_group=cluster_group,
            endpoints_security_group=endpoints_security_group,
        )
        # The services' login (App) and the outbox publisher's (Publisher): the same kind of
        # secret, each rotated by the multi-user application.
        logins = {}
        for role, secret_name, username in (
            ("App", names.app_secret, database.app_username),
            ("Publisher", names.publisher_secret, database.publisher_username),
        ):
            logins[role] = self._login_credentials(
                f"{role}Secret",
                secret_name=secret_name,
                username=username,
                key=key,
                master=credentials,
                replica=secrets_replica,
            )
            rotation.add_application_role(f"{role}RoleRotation", logins[role])

        reader_endpoint = rds.CfnDBClusterEndpoint(
            self,
            "ReaderEndpoint",
            db_cluster_identifier=self.cluster.cluster_identifier,
            db_cluster_endpoint_identifier=f"{prefix}-reader",
            custom_endpoint_type="READER",
            static_members=[f"{cluster_identifier}-{name}" for name in reader_names],
        )
        acknowledge(
            reader_endpoint,
            "AWS::RDS::DBClusterEndpoint is a CloudFormation resource type the CDK's built-in "
            "validation schema lacks; cfn-lint (current schema) validates it in the gate.",
            "CloudFormation-Validate::F3006",
        )
        # Static members are named, not referenced: wait for the reader instances to exist.
        reader_endpoint.node.add_dependency(
            *(self.cluster.node.find_child(name.title()) for name in reader_names)
        )
        self.endpoints = DatabaseEndpoints(
            cluster=self.cluster,
            writer_host=self.cluster.cluster_endpoint.hostname,
            reader_host=reader_endpoint.attr_endpoint,
            port=ports.postgres,
            database_name=database.database_name,
            credentials=credentials,
            app_credentials=logins["App"],
            publisher_credentials=logins["Publisher"],
        )

    def _login_credentials(
        self,
        construct_id: str,
        *,
        secret_name: str,
        username: str,
        key: kms.IKey,
        master: secretsmanager.ISecret,
        replica: secretsmanager.ReplicaRegion,
    ) -> secretsmanager.ISecret:
        """A services' login role's generated secret (the app role's, the outbox publisher's),
        attached to the cluster (host, port).

        The migrate task creates the role from it (manage.py db_app_role); ``masterarn`` names
        the master secret the multi-user rotation signs in with. Retained like the master
        secret: a restored snapshot keeps the role and its password.
        """
        secret = rds.DatabaseSecret(
            self,
            construct_id,
            username=username,
            secret_name=secret_name,
            master_secret=master,
            encryption_key=key,
        )
        secret.apply_removal_policy(RemovalPolicy.RETAIN)
        secret.add_replica_region(replica.region, replica.encryption_key)
        return secret.attach(self.cluster)


def enhanced_monitoring_role(scope: Construct, construct_id: str) -> iam.Role:
    """The role RDS's Enhanced Monitoring agent publishes OS metrics with (each region's own)."""
    role = iam.Role(
        scope,
        construct_id,
        assumed_by=iam.ServicePrincipal("monitoring.rds.amazonaws.com"),
        managed_policies=[
            iam.ManagedPolicy.from_aws_managed_policy_name(
                "service-role/AmazonRDSEnhancedMonitoringRole"
            )
        ],
    )
    acknowledge(
        role,
        "AmazonRDSEnhancedMonitoringRole is AWS's purpose-built policy for the RDS monitoring "
        "agent: it writes only to the RDSOSMetrics and RDS* log groups, and only the RDS "
        "monitoring service can assume this role.",
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
        "AmazonRDSEnhancedMonitoringRole]",
    )
    return role
