"""Settings shared by every environment; environment modules override the endpoints and secrets."""

from __future__ import annotations

from pcs.queues import TASK_ROUTES, Queue
from pcs.schedules import beat_schedule

DEBUG = False
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "rest_framework",
    "drf_spectacular",
    "core",
    "tenancy",
    "audit",
    "documents",
    "outbox",
    "metrics",
]

MIDDLEWARE = [
    "pcs.request_id.RequestIdMiddleware",
    "audit.request_meta.RequestMetaMiddleware",
    # The whole body before any database work: 413 over the limit, 408 when it stalls.
    "pcs.request_body.RequestBodyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pcs.db.router.ReadYourWritesMiddleware",
    "tenancy.middleware.TenantMiddleware",
]

ROOT_URLCONF = "pcs.urls"
WSGI_APPLICATION = "pcs.wsgi.application"
TEMPLATES: list[dict] = []

DATABASE_ROUTERS = ["pcs.db.router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en-us"
USE_I18N = False

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["tenancy.authentication.TenantTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": [
        "tenancy.permissions.HasRole",
        "pcs.query_params.KnownQueryParams",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["pcs.parsers.LimitedJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "pcs.api_errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "PCS Platform API",
    "DESCRIPTION": "Compliance documents: register, upload (SSE-KMS), process, list.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema is served to signed-in members only (it maps the attack surface).
    "SERVE_AUTHENTICATION": ["tenancy.authentication.TenantTokenAuthentication"],
    "SERVE_PERMISSIONS": ["tenancy.authentication.IsTenantMember"],
    "COMPONENT_SPLIT_REQUEST": True,
}

# Request bodies: the API takes small JSON documents (uploads go straight to S3).
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
REQUEST_BODY_TIMEOUT_SECONDS = 10
REQUEST_JSON_MAX_DEPTH = 32

# Redis: one URL for the broker, the Beat lock and readiness; a key prefix isolates environments
# (and test runs) that share one Redis.
REDIS_KEY_PREFIX = "pcs:"

# Celery (read by pcs.celery with namespace CELERY_).
LONGEST_TASK_SECONDS = 100  # must stay below the ECS stop timeout (120 s) for warm shutdown
# The longest countdown before a task's retry (retry_backoff_max of the tasks that retry).
TASK_RETRY_BACKOFF_MAX_SECONDS = 30
# Tasks are recorded in the database with the change that asks for them (outbox.dispatch) and
# sent after the commit; the dispatcher re-sends those Redis may have lost this often.
TASK_DISPATCH_SECONDS = 10
CELERY_TASK_DEFAULT_QUEUE = Queue.DEFAULT.value
CELERY_TASK_ROUTES = TASK_ROUTES
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = LONGEST_TASK_SECONDS
CELERY_TASK_SOFT_TIME_LIMIT = LONGEST_TASK_SECONDS - 10
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_WORKER_SEND_TASK_EVENTS = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = beat_schedule(task_dispatch_seconds=TASK_DISPATCH_SECONDS)
CELERY_BEAT_SCHEDULER = "pcs.beat:LockedScheduler"
CELERY_BEAT_SCHEDULE_FILENAME = "/tmp/pcs-celerybeat-schedule"
# Unacked messages (a worker that died) return to the queue after this long; it must exceed the
# longest task plus the longest retry countdown (a worker holds a retry's message unacked until
# it runs), or Redis redelivers a task that is still running.
CELERY_VISIBILITY_TIMEOUT = LONGEST_TASK_SECONDS + TASK_RETRY_BACKOFF_MAX_SECONDS + 10
CELERY_TIMEZONE = "UTC"

# Queue metrics (metrics.services): CloudWatch namespace and the worker service's name (the
# alarms' `Service` dimension). Empty (local, tests): the minute's figures are logged instead.
QUEUE_METRICS_NAMESPACE = ""
QUEUE_METRICS_SERVICE = ""

# Kafka: empty means "not configured": events wait in the outbox and readiness skips Kafka.
KAFKA_BOOTSTRAP_SERVERS = ""
KAFKA_IAM_AUTH = False  # production: MSK IAM (SASL_SSL + OAUTHBEARER)
KAFKA_TOPIC_PREFIX = "pcs."
# Topics the outbox creates on first use (MSK's auto-creation is off): one replica per broker
# (3, one per AZ) so acks=all with MSK's min.insync.replicas=2 survives a broker; 6 partitions
# spread the aggregates' keys over the brokers.
KAFKA_TOPIC_REPLICATION_FACTOR = 3
KAFKA_TOPIC_PARTITIONS = 6
# The audit trail's durable copy (outbox.firehose); empty: no Firehose leg (local, tests).
AUDIT_FIREHOSE_STREAM = ""
OUTBOX_BATCH_SIZE = 200
OUTBOX_FLUSH_TIMEOUT_SECONDS = 10.0

# Documents.
DOCUMENTS_BUCKET = ""
DOCUMENTS_KMS_KEY_ID = ""
DOCUMENTS_MAX_BYTES = 100 * 1024 * 1024
DOCUMENTS_UPLOAD_URL_SECONDS = 900
AWS_REGION = "us-east-1"

# Sign-in: the identity provider's access tokens (an Amazon Cognito user pool in AWS). Empty
# issuer: no access token is accepted (only API tokens). See docs/service.md and NOTES.
OIDC_ISSUER = ""
OIDC_ISSUERS: list[str] = []  # every issuer accepted; empty: OIDC_ISSUER alone
OIDC_CLIENT_IDS: list[str] = []
OIDC_JWKS_URL = ""  # empty: <OIDC_ISSUER>/.well-known/jwks.json (Cognito's path)
OIDC_JWKS = ""  # the key set itself (JSON), captured at deploy: used instead of fetching
OIDC_ALGORITHMS = ["RS256"]
OIDC_LEEWAY_SECONDS = 30  # clock skew tolerated on exp/nbf/iat
OIDC_JWKS_TIMEOUT_SECONDS = 3.0
OIDC_JWKS_CACHE_SECONDS = 300
# An unknown `kid` refetches the key set at most this often, so forged kids cannot flood the IdP.
OIDC_JWKS_REFRESH_COOLDOWN_SECONDS = 30

# The user pool members are invited to (tenancy.identity_pool); empty: none (the local OpenID
# provider's accounts stand in). Each call waits at most these, and is not retried.
COGNITO_USER_POOL_ID = ""
COGNITO_ENDPOINT_URL = ""  # empty: boto3's (the FIPS endpoint where AWS_USE_FIPS_ENDPOINT is set)
COGNITO_CONNECT_TIMEOUT_SECONDS = 2.0
COGNITO_READ_TIMEOUT_SECONDS = 3.0
# The DR region's standby pool, where members are created too (tenancy.identity_pool); its id is
# used only when the calls go to Cognito directly (local, tests): the pool-admin function names
# the pools itself in AWS (COGNITO_ADMIN_FUNCTION).
COGNITO_STANDBY_REGION = ""
COGNITO_STANDBY_USER_POOL_ID = ""
COGNITO_ADMIN_FUNCTION = ""
COGNITO_ADMIN_FUNCTION_READ_TIMEOUT_SECONDS = 12.0  # its start, a standby lookup and one call
# Without a pool: True where the local OpenID provider stands in (its `sub` is the username).
IDENTITY_LOCAL_ACCOUNTS = False

# Machine API tokens: lifetime asked for at issue, capped here (IA-5: 90 days at most).
API_TOKEN_MAX_DAYS = 90
# last_used_at (and the authentication event of a token) is written at most this often.
API_TOKEN_LAST_USED_RESOLUTION_SECONDS = 60

# Accepted credentials are remembered per process this long (tenancy.credential_cache): a
# revocation, deactivation or role change reaches every task within it. At most this many.
CREDENTIAL_CACHE_SECONDS = 5
CREDENTIAL_CACHE_MAX_ENTRIES = 4096

# Refuse (system check tenancy.E001) a database role that bypasses row-level security.
TENANCY_REQUIRE_RLS_ROLE = False

# The services' login role, as the owner process (migrate) applies it with `db_app_role`:
# {"USER": ..., "PASSWORD": ...}; None in every process that does not provision it.
DATABASE_APP_ROLE: dict[str, str] | None = None
# The outbox publisher's login, provisioned the same way (the migrate task only); None elsewhere.
DATABASE_PUBLISHER_ROLE: dict[str, str] | None = None

# Readiness: each dependency's check is abandoned after this long (they run concurrently), and
# a 503 (readiness, or any request the database or Redis fails) asks callers to retry after
# RETRY_AFTER_SECONDS.
HEALTH_CHECK_TIMEOUT_SECONDS = 2.0
RETRY_AFTER_SECONDS = 5

# PostgreSQL client limits, every connection (docs/decisions/service-database-limits.md).
# A statement the server runs longer is cancelled by the server; the API also gives up on its
# side after it (plus DB_CLIENT_GRACE_SECONDS), because a frozen server cancels nothing.
DB_CONNECT_TIMEOUT_SECONDS = 3
DB_STATEMENT_TIMEOUT_SECONDS = 5
DB_CLIENT_GRACE_SECONDS = 1
# A task may hold its transaction while it reads the upload from S3: never longer than the task.
DB_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS = LONGEST_TASK_SECONDS
# TCP keepalives find a peer that vanished (failover, network loss) in idle + interval x count.
DB_KEEPALIVES_IDLE_SECONDS = 30
DB_KEEPALIVES_INTERVAL_SECONDS = 10
DB_KEEPALIVES_COUNT = 3
# psycopg's pool per process and alias; a request waits DB_POOL_TIMEOUT_SECONDS for a free
# connection, then gets 503. Connection arithmetic: docs/decisions/service-connection-pool.md.
DB_POOL_MIN_SIZE = 1
DB_POOL_MAX_SIZE = 10
DB_POOL_TIMEOUT_SECONDS = 2.0

LOG_LEVEL = "INFO"


def logging_config(level: str) -> dict:
    """JSON logs on stdout, request id on every line, secrets redacted (CloudWatch-friendly)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "pcs.logging.RequestIdFilter"}},
        "formatters": {"json": {"()": "pcs.logging.JsonFormatter"}},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "json",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "INFO"},
            "gunicorn.error": {"handlers": ["stdout"], "level": level, "propagate": False},
            "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        },
    }


LOGGING = logging_config(LOG_LEVEL)


def database(
    *, host: str, port: str, name: str, user: str, password: str, options: dict, pool: bool = True
) -> dict:
    """One PostgreSQL alias with the client limits above; pooled unless `pool` is False."""
    server_settings = {
        "statement_timeout": f"{DB_STATEMENT_TIMEOUT_SECONDS}s",
        "idle_in_transaction_session_timeout": f"{DB_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS}s",
    }
    limits = {
        "connect_timeout": DB_CONNECT_TIMEOUT_SECONDS,
        "keepalives": 1,
        "keepalives_idle": DB_KEEPALIVES_IDLE_SECONDS,
        "keepalives_interval": DB_KEEPALIVES_INTERVAL_SECONDS,
        "keepalives_count": DB_KEEPALIVES_COUNT,
        # Sent in the startup packet: no extra round trip per connection.
        "options": " ".join(f"-c {key}={value}" for key, value in server_settings.items()),
        "application_name": "pcs",
    }
    if pool:
        limits["pool"] = {
            "min_size": DB_POOL_MIN_SIZE,
            "max_size": DB_POOL_MAX_SIZE,
            "timeout": DB_POOL_TIMEOUT_SECONDS,
        }
    return {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": host,
        "PORT": port,
        "NAME": name,
        "USER": user,
        "PASSWORD": password,
        # The pool keeps connections; Django closes (returns) them after each request. No
        # per-request ping: a broken connection fails its query, 503s, and the pool drops it.
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        # A pipelined read (tenancy.context.tenant_reads) has no transaction to DECLARE a cursor
        # in: `.iterator()` fetches on the client instead (pcs.db).
        "DISABLE_SERVER_SIDE_CURSORS": True,
        "OPTIONS": {**limits, **options},
    }
