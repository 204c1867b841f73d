"""pytest: real PostgreSQL and Redis on 127.0.0.1, isolated per run.

pytest-django creates its own database; the reader alias mirrors it. Redis uses db 15 and a key
prefix unique to this run, exported so that worker and Beat subprocesses share it.
"""

from __future__ import annotations

import os
import uuid

from pcs.schedules import beat_schedule
from pcs.settings.base import *  # noqa: F403
from pcs.settings.base import database

SECRET_KEY = "test-only-secret-key-not-used-anywhere-else"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

_db = {
    "host": os.environ.get("PCS_DB_HOST", "127.0.0.1"),
    "port": os.environ.get("PCS_DB_PORT", "5432"),
    # Subprocesses (worker, start scripts) receive pytest-django's test database name here.
    "name": os.environ.get("PCS_DB_NAME", "pcs"),
    "user": os.environ.get("PCS_DB_USER", "postgres"),
    "password": "",
    "options": {},
    # pytest's own process runs without a pool; servers the fault tests start turn it on.
    "pool": os.environ.get("PCS_DB_POOL") == "1",
}
# A test database per run: several engineers' runs may share this PostgreSQL at once.
_test_db = {"NAME": f"test_pcs_{os.getpid()}"}
DATABASES = {
    "default": {**database(**_db), "CONN_MAX_AGE": 0, "TEST": _test_db},
    "reader": {**database(**_db), "CONN_MAX_AGE": 0, "TEST": {"MIRROR": "default"}},
    # The outbox publisher's login (tests/service/conftest.py creates it for pytest's process;
    # subprocesses receive it in PCS_DB_PUBLISHER_USER).
    "publisher": {
        **database(**{**_db, "user": os.environ.get("PCS_DB_PUBLISHER_USER", _db["user"])}),
        "CONN_MAX_AGE": 0,
        "TEST": {"MIRROR": "default"},
    },
}

REDIS_URL = os.environ.get("PCS_REDIS_URL", "redis://127.0.0.1:6379/15")
REDIS_KEY_PREFIX = os.environ.setdefault(
    "PCS_REDIS_KEY_PREFIX", f"pcs-test-{os.getpid()}-{uuid.uuid4().hex[:8]}:"
)
CELERY_BROKER_URL = REDIS_URL

KAFKA_BOOTSTRAP_SERVERS = ""
DOCUMENTS_BUCKET = "pcs-test-documents"
DOCUMENTS_KMS_KEY_ID = "arn:aws:kms:us-east-1:111111111111:key/test-documents"
AWS_REGION = "us-east-1"
# The hard-kill test shortens how long an unacknowledged task stays invisible.
CELERY_VISIBILITY_TIMEOUT = int(os.environ.get("PCS_VISIBILITY_TIMEOUT", CELERY_VISIBILITY_TIMEOUT))  # noqa: F405
# The slow-client test shortens how long a request body may take.
REQUEST_BODY_TIMEOUT_SECONDS = float(
    os.environ.get("PCS_REQUEST_BODY_TIMEOUT_SECONDS", REQUEST_BODY_TIMEOUT_SECONDS)  # noqa: F405
)
# The Redis-restart test shortens the dispatcher's interval.
if "PCS_TASK_DISPATCH_SECONDS" in os.environ:
    TASK_DISPATCH_SECONDS = float(os.environ["PCS_TASK_DISPATCH_SECONDS"])
    CELERY_BEAT_SCHEDULE = beat_schedule(task_dispatch_seconds=TASK_DISPATCH_SECONDS)
# Subprocess tests switch on production's refusal of a role that bypasses RLS.
TENANCY_REQUIRE_RLS_ROLE = os.environ.get("PCS_REQUIRE_RLS_ROLE") == "1"
# The tests' issuer serves its JWKS on a free local port (tests/service/tenancy/issuer.py).
OIDC_ISSUER = "https://issuer.test.invalid/pool"
IDENTITY_LOCAL_ACCOUNTS = True  # the test issuer signs any `sub`: a member's is their pool username
OIDC_CLIENT_IDS = ["pcs-web-test"]
OIDC_JWKS_URL = os.environ.get("PCS_OIDC_JWKS_URL", "http://127.0.0.1:1/jwks.json")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# bin/migrate's subprocess test provisions an app role, as the migrate task does from its secret.
if os.environ.get("PCS_DB_APP_USER"):
    DATABASE_APP_ROLE = {
        "USER": os.environ["PCS_DB_APP_USER"],
        "PASSWORD": os.environ.get("PCS_DB_APP_PASSWORD", ""),
    }
