"""Production (ECS Fargate): every endpoint and secret comes from the task definition's environment.

Nothing here has a default for a secret or an endpoint: a missing variable stops the process at
start with one line naming all of them. The variables are the container contract's
(service/container_contract.py; its table is in docs/service.md).
"""

from __future__ import annotations

import os
import ssl

from container_contract import required_names
from pcs.env import env_int, env_list, env_require, redis_url_with_auth
from pcs.settings.base import *  # noqa: F403
from pcs.settings.base import database, logging_config

REQUIRED_ENV = required_names()
_env = env_require(REQUIRED_ENV)

# The Dockerfile downloads Amazon RDS's global CA bundle to this path at image build.
RDS_CA_BUNDLE = "/etc/ssl/certs/rds-global-bundle.pem"

SECRET_KEY = _env["SECRET_KEY"]
ALLOWED_HOSTS = env_list(_env["DJANGO_ALLOWED_HOSTS"])

_db_tls = {"sslmode": "verify-full", "sslrootcert": RDS_CA_BUNDLE}
_db_common = {
    "port": _env["DB_PORT"],
    "name": _env["DB_NAME"],
    "user": _env["DB_USER"],
    "password": _env["DB_PASSWORD"],
    "options": _db_tls,
}
DATABASES = {
    "default": database(host=_env["DB_WRITER_HOST"], **_db_common),
    "reader": database(host=_env["DB_READER_HOST"], **_db_common),
}

# DB_ROLE=owner only in the migrate task: it connects as the tables' owner (which may bypass
# RLS) and provisions the app role from DB_APP_USER/DB_APP_PASSWORD. Every other process
# connects as the app role and is refused (tenancy.E001) if that role could bypass RLS.
DB_ROLE = os.environ.get("DB_ROLE", "app").strip()
if DB_ROLE not in ("app", "owner"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"DB_ROLE must be app or owner, not {DB_ROLE!r}")
# The outbox publisher's login (DB_PUBLISHER_*): the worker publishes through its own alias
# (pcs.db.router.PUBLISHER), the only role the outbox policy admits to every tenant's events;
# the migrate task provisions it. Other processes have no such alias.
if DB_ROLE == "owner":
    _roles = env_require(
        ("DB_APP_USER", "DB_APP_PASSWORD", "DB_PUBLISHER_USER", "DB_PUBLISHER_PASSWORD")
    )
    DATABASE_APP_ROLE = {"USER": _roles["DB_APP_USER"], "PASSWORD": _roles["DB_APP_PASSWORD"]}
    DATABASE_PUBLISHER_ROLE = {
        "USER": _roles["DB_PUBLISHER_USER"],
        "PASSWORD": _roles["DB_PUBLISHER_PASSWORD"],
    }
elif "DB_PUBLISHER_USER" in os.environ:
    _publisher = env_require(("DB_PUBLISHER_USER", "DB_PUBLISHER_PASSWORD"))
    DATABASES["publisher"] = database(
        host=_env["DB_WRITER_HOST"],
        **{
            **_db_common,
            "user": _publisher["DB_PUBLISHER_USER"],
            "password": _publisher["DB_PUBLISHER_PASSWORD"],
        },
    )
TENANCY_REQUIRE_RLS_ROLE = DB_ROLE == "app"

REDIS_URL = redis_url_with_auth(_env["REDIS_URL"], _env["REDIS_AUTH_TOKEN"])
if not REDIS_URL.startswith("rediss://"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("REDIS_URL must use TLS: rediss://HOST:PORT/DB")
REDIS_KEY_PREFIX = os.environ.get("REDIS_KEY_PREFIX", "pcs:")
CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_USE_SSL = {"ssl_cert_reqs": ssl.CERT_REQUIRED}

KAFKA_BOOTSTRAP_SERVERS = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "")
KAFKA_IAM_AUTH = True
AUDIT_FIREHOSE_STREAM = os.environ.get("AUDIT_FIREHOSE_STREAM", "").strip()

# Set on the task that publishes them (the worker); elsewhere the task only logs.
QUEUE_METRICS_NAMESPACE = os.environ.get("CELERY_METRICS_NAMESPACE", "").strip()
QUEUE_METRICS_SERVICE = os.environ.get("CELERY_METRICS_SERVICE", "").strip()

DOCUMENTS_BUCKET = _env["DOCUMENTS_BUCKET"]
DOCUMENTS_KMS_KEY_ID = _env["DOCUMENTS_KMS_KEY_ID"]
AWS_REGION = _env["AWS_REGION"]
# boto3 reads the variable itself; production refuses to call AWS through non-FIPS endpoints.
if _env["AWS_USE_FIPS_ENDPOINT"].strip().lower() != "true":
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("AWS_USE_FIPS_ENDPOINT must be true (FIPS endpoints)")

# Sign-in (tenancy.access_tokens): unset, no access token is accepted (API tokens still are).
# Comma-separated: the region's pool first, then any pool whose tokens stay valid here (the DR
# region's API accepts the primary's: docs/decisions/identity-standby-pool.md).
OIDC_ISSUERS = env_list(os.environ.get("OIDC_ISSUER", ""))
OIDC_ISSUER = OIDC_ISSUERS[0] if OIDC_ISSUERS else ""
OIDC_CLIENT_IDS = env_list(os.environ.get("OIDC_CLIENT_ID", ""))
OIDC_JWKS_URL = os.environ.get("OIDC_JWKS_URL", "").strip()
OIDC_JWKS = os.environ.get("COGNITO_JWKS", "").strip()  # AWS: the tasks cannot reach Cognito
# Invitations: the region's pool, the other region's, and the pool-admin function the tasks
# invoke to reach both (they have no route to Cognito; identity-member-invitations.md).
COGNITO_USER_POOL_ID = os.environ.get("COGNITO_USER_POOL_ID", "").strip()
COGNITO_STANDBY_REGION = os.environ.get("COGNITO_STANDBY_REGION", "").strip()
COGNITO_ADMIN_FUNCTION = os.environ.get("COGNITO_ADMIN_FUNCTION", "").strip()
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", default=API_TOKEN_MAX_DAYS, low=1, high=90)  # noqa: F405

# Viewers reach the ALB over HTTPS; it re-encrypts to the API (SERVE_TLS) with X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_HOST = False
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The API authenticates with bearer tokens only (no session cookies), so there is nothing for
# a cross-site request to ride on: Django's CSRF middleware is not installed.
SILENCED_SYSTEM_CHECKS = ["security.W003"]
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = logging_config(LOG_LEVEL)
