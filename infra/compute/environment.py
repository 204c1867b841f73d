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

    def environment(self) -> dict[str, str]:
        """Plain variables: endpoints, names and ids, never a credential."""
        database = self.data_tier.database
        cache = self.data_tier.cache
        edge = self.config.edge
        origin_name = f"{edge.origin_subdomain}.{edge.domain_name}"
        return {
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

    def secret_sources(self, *, kafka: bool) -> dict[str, SecretSource]:
        """Variables injected from Secrets Manager at start (read by the execution role only).

        ``kafka`` adds the MSK bootstrap brokers where the tier runs Kafka and the service
        publishes to it.
        """
        credentials = self.data_tier.database.credentials
        sources = {
            "SECRET_KEY": SecretSource(self.secrets.django_secret_key),
            "DB_USER": SecretSource(credentials, "username"),
            "DB_PASSWORD": SecretSource(credentials, "password"),
            "REDIS_AUTH_TOKEN": SecretSource(self.data_tier.cache.auth_token),
        }
        if kafka and self.data_tier.kafka is not None:
            sources["KAFKA_BOOTSTRAP_SERVERS"] = SecretSource(
                self.data_tier.kafka.bootstrap_servers
            )
        return sources
