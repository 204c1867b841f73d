"""The container environment of docs/service.md: plain variables and Secrets Manager secrets."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager

from infra.config import PlatformConfig
from infra.data.outputs import DataTier
from infra.security.secrets import ApplicationSecrets

SETTINGS_MODULE = "pcs.settings.production"


@dataclass(frozen=True)
class SecretSource:
    """One injected variable: a secret, or one JSON key of it."""

    secret: secretsmanager.ISecret
    json_key: str | None = None


@dataclass(frozen=True)
class ServiceInputs:
    """What every container of the image needs at start; production settings refuse less."""

    config: PlatformConfig
    data_tier: DataTier
    secrets: ApplicationSecrets
    documents_key: kms.IKey

    @property
    def documents_bucket_name(self) -> str:
        """The documents bucket's name as the data stack gives it: ``<prefix>-documents-<acct>``.

        Literal (not the cross-stack token) so IAM statements and their review name it.
        """
        return f"{self.config.prefix}-documents-{self.config.environment.account}"

    def environment(
        self, *, database_owner: bool = False, queue_metrics_service: str | None = None
    ) -> dict[str, str]:
        """Plain variables: endpoints, names and ids, never a credential.

        ``database_owner`` (the migrate task) adds ``DB_ROLE=owner``: that process connects as
        the tables' owner and provisions the app role, so the settings skip the refusal of a
        role that bypasses row-level security, which holds for every other process.
        ``queue_metrics_service`` (the worker, which runs the minute's queue-metrics task) adds
        the CloudWatch namespace and ``Service`` dimension the alarms and scaling read.
        """
        database = self.data_tier.database
        cache = self.data_tier.cache
        edge = self.config.edge
        origin_name = f"{edge.origin_subdomain}.{edge.domain_name}"
        variables = {
            "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
            "DJANGO_ALLOWED_HOSTS": f"{edge.domain_name},{origin_name}",
            "AWS_REGION": self.config.environment.region,
            "DB_WRITER_HOST": database.writer_host,
            "DB_READER_HOST": database.reader_host,
            "DB_PORT": str(database.port),
            "DB_NAME": database.database_name,
            "REDIS_URL": f"rediss://{cache.host}:{cache.port}/0",
            "DOCUMENTS_BUCKET": self.data_tier.documents_bucket.bucket_name,
            "DOCUMENTS_KMS_KEY_ID": self.documents_key.key_arn,
        }
        if database_owner:
            variables["DB_ROLE"] = "owner"
        if queue_metrics_service is not None:
            variables["CELERY_METRICS_NAMESPACE"] = self.config.monitoring.celery_metrics_namespace
            variables["CELERY_METRICS_SERVICE"] = queue_metrics_service
        return variables

    def secret_sources(
        self, *, kafka: bool, database_owner: bool = False
    ) -> dict[str, SecretSource]:
        """Variables injected from Secrets Manager at start (read by the execution role only).

        The services connect as the app role (DML only, row-level security applies);
        ``database_owner`` (the migrate task alone) connects with the master secret and also
        receives the app role's username and password, to create or update that role.
        ``kafka`` adds the MSK bootstrap brokers where the tier runs Kafka and the service
        publishes to it.
        """
        database = self.data_tier.database
        login = database.credentials if database_owner else database.app_credentials
        sources = {
            "SECRET_KEY": SecretSource(self.secrets.django_secret_key),
            "DB_USER": SecretSource(login, "username"),
            "DB_PASSWORD": SecretSource(login, "password"),
            "REDIS_AUTH_TOKEN": SecretSource(self.data_tier.cache.auth_token),
        }
        if database_owner:
            sources["DB_APP_USER"] = SecretSource(database.app_credentials, "username")
            sources["DB_APP_PASSWORD"] = SecretSource(database.app_credentials, "password")
        if kafka and self.data_tier.kafka is not None:
            sources["KAFKA_BOOTSTRAP_SERVERS"] = SecretSource(
                self.data_tier.kafka.bootstrap_servers
            )
        return sources
