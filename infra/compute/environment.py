"""Values for the container contract (service/container_contract.py): plain and secret variables."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import aws_kinesisfirehose as firehose
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager

from infra.config import PlatformConfig, RegionConfig
from infra.data.outputs import DataTier
from infra.defaults.fips import (
    ENDPOINT_URL_PREFIX,
    FIPS_ENDPOINT_VALUE,
    WITHOUT_FIPS_PRIVATE_ENDPOINT,
)
from infra.edge.load_balancer import API_TARGET_PROTOCOL, serve_tls
from infra.identity.user_pool import IdentityEndpoint
from infra.security.secrets import ApplicationSecrets
from service import container_contract
from service.container_contract import Kind, Service

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
    region: RegionConfig  # where the services run: their endpoints, names, standby or not
    data_tier: DataTier
    secrets: ApplicationSecrets
    documents_key: kms.IKey
    identity: IdentityEndpoint  # the user pool whose access tokens the API accepts
    audit_events: firehose.IDeliveryStream  # the audit archive's application stream

    @property
    def documents_bucket_name(self) -> str:
        """The region's documents bucket (in the DR region, the replica), by its name.

        Literal (not the cross-stack token) so IAM statements and their review name it.
        """
        return self.region.bucket("documents")

    @property
    def other_region(self) -> str:
        """The other region of the deployment (the DR region, or from there the primary)."""
        deployment = self.config.deployment
        return deployment.region if self.region.standby else deployment.dr_region

    def container_variables(
        self, service: Service
    ) -> tuple[dict[str, str], dict[str, SecretSource]]:
        """``service``'s plain variables and secrets, exactly as the container contract lists them.

        A contract variable without a value here stops the synth (one line naming it), so a
        variable added to the contract is wired before any task definition is built. A
        conditional variable (the contract's ``when``) is left out where its value is None.
        """
        plain = self._plain_values(service)
        secrets = self._secret_sources(service)
        environment: dict[str, str] = {}
        sources: dict[str, SecretSource] = {}
        for variable in container_contract.for_service(service):
            values = plain if variable.kind is Kind.PLAIN else secrets
            if variable.name not in values:
                raise ValueError(
                    f"container contract: {variable.name} ({variable.kind.value}) for "
                    f"{service.value} has no value in infra/compute/environment.py"
                )
            value = values[variable.name]
            if value is None and variable.when is None:
                raise ValueError(f"container contract: {variable.name} is unconditional")
            if value is not None:
                target = environment if variable.kind is Kind.PLAIN else sources
                target[variable.name] = value
        return environment, sources

    def _plain_values(self, service: Service) -> dict[str, str | None]:
        """Every plain variable's value for ``service``: endpoints, names and ids, never a
        credential. ``DB_ROLE=owner`` (migrate only, per the contract) connects as the tables'
        owner; the queue-metrics variables (Beat's) name the namespace and the worker's
        ``Service`` dimension; the OIDC variables name the user pool's token issuer, its keys
        and the web client.
        """
        config = self.config
        database = self.data_tier.database
        cache = self.data_tier.cache
        edge = config.edge
        region = self.region.name  # the DR region's services call that region's endpoints
        return {
            "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
            "DJANGO_ALLOWED_HOSTS": f"{edge.domain_name},{edge.origin_name}",
            "AWS_REGION": region,
            "AWS_USE_FIPS_ENDPOINT": FIPS_ENDPOINT_VALUE,
            **{
                f"{ENDPOINT_URL_PREFIX}{client.upper()}": f"https://{prefix}.{region}.amazonaws.com"
                for client, prefix in WITHOUT_FIPS_PRIVATE_ENDPOINT.items()
            },
            "DB_WRITER_HOST": database.writer_host,
            "DB_READER_HOST": database.reader_host,
            "DB_PORT": str(database.port),
            "DB_NAME": database.database_name,
            "DB_ROLE": "owner",
            "REDIS_URL": f"rediss://{cache.host}:{cache.port}/0",
            "DOCUMENTS_BUCKET": self.data_tier.documents_bucket.bucket_name,
            "DOCUMENTS_KMS_KEY_ID": self.documents_key.key_arn,
            "PORT": str(config.ports.app),
            "SERVE_TLS": serve_tls(API_TARGET_PROTOCOL),
            "CELERY_CONCURRENCY": str(config.compute.worker_concurrency),
            "CELERY_METRICS_NAMESPACE": config.monitoring.celery_metrics_namespace,
            # Beat publishes the worker's queue metrics (the worker cannot while saturated).
            "CELERY_METRICS_SERVICE": config.names.service(Service.WORKER.value),
            "OIDC_ISSUER": self.identity.accepted_issuers,
            "OIDC_JWKS_URL": self.identity.jwks_url,
            "COGNITO_JWKS": self.identity.jwks,
            "OIDC_CLIENT_ID": self.identity.accepted_client_ids,
            "AUDIT_FIREHOSE_STREAM": self.audit_events.delivery_stream_name,
            # Invitations: the region's pool, the other region's, and the pool-admin function
            # that reaches both (infra/compute/pool_admin.py).
            "COGNITO_USER_POOL_ID": self.identity.user_pool_id,
            "COGNITO_STANDBY_REGION": self.other_region,
            "COGNITO_ADMIN_FUNCTION": self.region.names.pool_admin_function,
        }

    def _secret_sources(self, service: Service) -> dict[str, SecretSource | None]:
        """Every injected variable's secret (read by the execution role only).

        The services connect as the app role (DML only, row-level security applies); the
        migrate task alone connects with the master secret and also receives the app role's
        username and password, to create or update that role, and the outbox publisher's (the
        worker publishes through that login; docs/decisions/outbox-publisher-role.md). The MSK
        bootstrap brokers exist
        only where the tier runs Kafka.
        """
        database = self.data_tier.database
        login = database.credentials if service is Service.MIGRATE else database.app_credentials
        kafka = self.data_tier.kafka
        return {
            "SECRET_KEY": SecretSource(self.secrets.django_secret_key),
            "DB_USER": SecretSource(login, "username"),
            "DB_PASSWORD": SecretSource(login, "password"),
            "DB_APP_USER": SecretSource(database.app_credentials, "username"),
            "DB_APP_PASSWORD": SecretSource(database.app_credentials, "password"),
            "DB_PUBLISHER_USER": SecretSource(database.publisher_credentials, "username"),
            "DB_PUBLISHER_PASSWORD": SecretSource(database.publisher_credentials, "password"),
            "REDIS_AUTH_TOKEN": SecretSource(self.data_tier.cache.auth_token),
            "KAFKA_BOOTSTRAP_SERVERS": (
                SecretSource(kafka.bootstrap_servers) if kafka is not None else None
            ),
        }
