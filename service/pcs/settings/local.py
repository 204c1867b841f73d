"""A developer's machine: PostgreSQL and Redis on 127.0.0.1, DEBUG on, nothing from AWS required."""

from __future__ import annotations

import os

from pcs.env import env_list
from pcs.settings.base import *  # noqa: F403
from pcs.settings.base import database

DEBUG = os.environ.get("PCS_DEBUG", "1") == "1"
SECRET_KEY = "local-development-only-not-a-secret"
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]

_db = {
    "host": os.environ.get("PCS_DB_HOST", "127.0.0.1"),
    "port": os.environ.get("PCS_DB_PORT", "5432"),
    "name": os.environ.get("PCS_DB_NAME", "pcs"),
    "user": os.environ.get("PCS_DB_USER", "postgres"),
    "password": os.environ.get("PCS_DB_PASSWORD", ""),
    "options": {},
}
# A second alias on the same server stands in for the reader endpoint, so routing runs as in AWS.
# The outbox publisher's alias: the same login here (production: its own, pcs.db.router).
DATABASES = {"default": database(**_db), "reader": database(**_db), "publisher": database(**_db)}

REDIS_URL = os.environ.get("PCS_REDIS_URL", "redis://127.0.0.1:6379/0")
REDIS_KEY_PREFIX = os.environ.get("PCS_REDIS_KEY_PREFIX", "pcs-local:")
CELERY_BROKER_URL = REDIS_URL

KAFKA_BOOTSTRAP_SERVERS = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "")
DOCUMENTS_BUCKET = os.environ.get("DOCUMENTS_BUCKET", "pcs-local-documents")
DOCUMENTS_KMS_KEY_ID = os.environ.get("DOCUMENTS_KMS_KEY_ID", "alias/pcs-local-documents")
AWS_REGION = os.environ.get("AWS_REGION", "us-east-1")

# A local OIDC provider (the web app's, docs/service.md) when one runs; else API tokens only.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "")
IDENTITY_LOCAL_ACCOUNTS = True  # its `sub` is the username signed in with (tenancy.identity_pool)
OIDC_CLIENT_IDS = env_list(os.environ.get("OIDC_CLIENT_ID", ""))
OIDC_JWKS_URL = os.environ.get("OIDC_JWKS_URL", "")
