"""Amazon MSK: one broker per AZ, TLS everywhere, IAM client authentication, KMS at rest."""

from __future__ import annotations

from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kms as kms
from aws_cdk import aws_msk as msk
from constructs import Construct

from infra.config import KafkaConfig, Ports
from infra.data.kafka_bootstrap import BootstrapBrokersSecret
from infra.data.outputs import KafkaEndpoint
from infra.defaults.logs import encrypted_log_group
from infra.names import PlatformNames


class KafkaCluster(Construct):
    """A provisioned MSK cluster in the private subnets and its bootstrap-broker secret; see
    :attr:`endpoint`."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        names: PlatformNames,
        kafka: KafkaConfig,
        ports: Ports,
        vpc: ec2.IVpc,
        security_group: ec2.ISecurityGroup,
        endpoints_security_group: ec2.ISecurityGroup,
        s3_prefix_list_id: str,
        key: kms.IKey,
        secrets_key: kms.IKey,
        logs_key: kms.IKey,
    ) -> None:
        super().__init__(scope, construct_id)
        self.cluster_name = names.kafka_cluster
        broker_log = encrypted_log_group(
            self,
            "BrokerLog",
            key=logs_key,
            retention_days=kafka.log_retention_days,
            log_group_name=names.kafka_log_group,
        )
        # Broker settings every topic inherits, so none keeps a broker default by accident:
        # retention (config), one replica per AZ and acks=all surviving one broker, and no topic
        # created by a typo (the publisher creates its topics, service-kafka-topic-creation.md).
        topic_defaults = msk.CfnConfiguration(
            self,
            "TopicDefaults",
            name=f"{self.cluster_name}-topics",
            description="Explicit topic retention and replication for the platform's topics",
            kafka_versions_list=[kafka.kafka_version],
            server_properties="\n".join(
                (
                    f"log.retention.ms={kafka.topic_retention_hours * 3600 * 1000}",
                    f"default.replication.factor={min(3, kafka.broker_count)}",
                    f"min.insync.replicas={min(2, kafka.broker_count)}",
                    "auto.create.topics.enable=false",
                )
            ),
        )
        self.cluster = msk.CfnCluster(
            self,
            "Cluster",
            cluster_name=self.cluster_name,
            kafka_version=kafka.kafka_version,
            number_of_broker_nodes=kafka.broker_count,
            broker_node_group_info=msk.CfnCluster.BrokerNodeGroupInfoProperty(
                instance_type=kafka.instance_type,
                client_subnets=vpc.select_subnets(
                    subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS
                ).subnet_ids,
                security_groups=[security_group.security_group_id],
                storage_info=msk.CfnCluster.StorageInfoProperty(
                    ebs_storage_info=msk.CfnCluster.EBSStorageInfoProperty(
                        volume_size=kafka.volume_size_gib
                    )
                ),
            ),
            encryption_info=msk.CfnCluster.EncryptionInfoProperty(
                encryption_at_rest=msk.CfnCluster.EncryptionAtRestProperty(
                    data_volume_kms_key_id=key.key_arn
                ),
                encryption_in_transit=msk.CfnCluster.EncryptionInTransitProperty(
                    client_broker="TLS", in_cluster=True
                ),
            ),
            client_authentication=msk.CfnCluster.ClientAuthenticationProperty(
                sasl=msk.CfnCluster.SaslProperty(iam=msk.CfnCluster.IamProperty(enabled=True)),
                unauthenticated=msk.CfnCluster.UnauthenticatedProperty(enabled=False),
            ),
            configuration_info=msk.CfnCluster.ConfigurationInfoProperty(
                arn=topic_defaults.attr_arn,
                revision=topic_defaults.attr_latest_revision_revision,
            ),
            enhanced_monitoring="PER_BROKER",
            logging_info=msk.CfnCluster.LoggingInfoProperty(
                broker_logs=msk.CfnCluster.BrokerLogsProperty(
                    cloud_watch_logs=msk.CfnCluster.CloudWatchLogsProperty(
                        enabled=True, log_group=broker_log.log_group_name
                    )
                )
            ),
        )
        bootstrap_servers = BootstrapBrokersSecret(
            self,
            "BootstrapServers",
            names=names,
            cluster_arn=self.cluster.attr_arn,
            broker_layout=f"{kafka.broker_count}x{kafka.instance_type}",
            vpc=vpc,
            ports=ports,
            endpoints_security_group=endpoints_security_group,
            s3_prefix_list_id=s3_prefix_list_id,
            secrets_key=secrets_key,
            logs_key=logs_key,
            log_retention_days=kafka.log_retention_days,
        ).secret
        self.endpoint = KafkaEndpoint(
            cluster_arn=self.cluster.attr_arn,
            cluster_name=self.cluster_name,
            bootstrap_servers=bootstrap_servers,
        )
