"""What the data tier hands to the stacks that use it: typed endpoints, never string lookups."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import aws_rds as rds
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager


@dataclass(frozen=True)
class DatabaseEndpoints:
    """Aurora: the writer and the custom reader endpoint, the master and the app role secrets."""

    cluster: rds.IDatabaseCluster
    writer_host: str
    reader_host: str
    port: int
    database_name: str
    credentials: secretsmanager.ISecret  # the master (owner): JSON username/password, rotated
    app_credentials: secretsmanager.ISecret  # the services' DML-only role, multi-user rotation
    # The outbox publisher's login (the worker's), rotated like the app role's.
    publisher_credentials: secretsmanager.ISecret


@dataclass(frozen=True)
class CacheEndpoint:
    """The ElastiCache replication group's primary endpoint (TLS, AUTH)."""

    replication_group_id: str
    host: str
    port: int
    auth_token: secretsmanager.ISecret


@dataclass(frozen=True)
class KafkaEndpoint:
    """MSK: the cluster and the secret holding its IAM/TLS bootstrap broker string."""

    cluster_arn: str
    cluster_name: str
    bootstrap_servers: secretsmanager.ISecret


@dataclass(frozen=True)
class DataTier:
    """Everything the compute, monitoring and backup stacks need from the data tier."""

    database: DatabaseEndpoints
    cache: CacheEndpoint
    kafka: KafkaEndpoint | None  # None where the tier runs without Kafka (10k)
    documents_bucket: s3.IBucket
    backups_bucket: s3.IBucket
