"""The container contract: every environment variable the platform image reads, in one place.

The infrastructure builds each task definition's environment and secrets from it
(``infra/compute/environment.py``), the production settings take their required variables from
it, and the table in ``docs/service.md`` is rendered from it (``make contract-table``). It lives
in ``service/`` because the image ships only that directory; it imports nothing but the standard
library so the CDK app can read it without Django (docs/decisions/container-contract.md).

Run as a script with a Markdown file, it rewrites the table between the contract markers there.
"""

from __future__ import annotations

import enum
import re
import sys
from dataclasses import dataclass
from pathlib import Path


class Kind(enum.Enum):
    """How ECS passes a variable: a plain value, or injected from Secrets Manager at start."""

    PLAIN = "plain"
    SECRET = "secret"


class Service(enum.Enum):
    """The task definitions that run the image, each through its start script ``bin/<value>``."""

    API = "api"
    WORKER = "worker"
    BEAT = "beat"
    MIGRATE = "migrate"

    @property
    def start_script(self) -> str:
        """The script the task definition runs (the image's WORKDIR is ``/app``)."""
        return f"/app/bin/{self.value}"


ALL_SERVICES = tuple(Service)


@dataclass(frozen=True)
class Variable:
    """One variable: who gets it, how, and what it holds.

    ``services`` are the task definitions that set it; empty for a variable the image defaults
    and no task definition sets. ``required``: production settings refuse to start without it.
    ``when`` names the condition under which the task definitions set it, if any. ``example`` is
    a realistic value (documentation, and the settings tests start production with it).
    """

    name: str
    kind: Kind
    services: tuple[Service, ...]
    meaning: str
    example: str
    required: bool = False
    when: str | None = None


V, PLAIN, SECRET = Variable, Kind.PLAIN, Kind.SECRET
API, WORKER, BEAT, MIGRATE = ALL_SERVICES

VARIABLES: tuple[Variable, ...] = (
    V("DJANGO_SETTINGS_MODULE", PLAIN, ALL_SERVICES, "settings module (the image's default)",
      "pcs.settings.production"),
    V("SECRET_KEY", SECRET, ALL_SERVICES, "Django signing key (generated secret)",
      "x" * 50, required=True),
    V("DJANGO_ALLOWED_HOSTS", PLAIN, ALL_SERVICES,
      "the site's and the origin's host names, comma-separated (health checks need none)",
      "app.pcs.example.com,origin.app.pcs.example.com", required=True),
    V("AWS_REGION", PLAIN, ALL_SERVICES, "the deployment's primary region", "us-east-1",
      required=True),
    V("AWS_USE_FIPS_ENDPOINT", PLAIN, ALL_SERVICES,
      "`true`: boto3 calls the FIPS endpoints (docs/cryptography.md); unset locally", "true",
      required=True),
    V("DB_WRITER_HOST", PLAIN, ALL_SERVICES, "Aurora cluster writer endpoint",
      "pcs-prod.cluster-abc.us-east-1.rds.amazonaws.com", required=True),
    V("DB_READER_HOST", PLAIN, ALL_SERVICES, "Aurora cluster reader endpoint",
      "pcs-prod.cluster-ro-abc.us-east-1.rds.amazonaws.com", required=True),
    V("DB_PORT", PLAIN, ALL_SERVICES, "PostgreSQL port", "5432", required=True),
    V("DB_NAME", PLAIN, ALL_SERVICES, "database name", "pcs", required=True),
    V("DB_USER", SECRET, ALL_SERVICES,
      "login: the app role secret's `username` (migrate: the master secret's)", "pcs_app",
      required=True),
    V("DB_PASSWORD", SECRET, ALL_SERVICES, "the same secret's `password`", "p@ss/word",
      required=True),
    V("DB_ROLE", PLAIN, (MIGRATE,),
      "`owner`: connects as the tables' owner and provisions the app role; default `app`",
      "owner"),
    V("DB_APP_USER", SECRET, (MIGRATE,), "app role secret's `username` (`manage.py db_app_role`)",
      "pcs_app"),
    V("DB_APP_PASSWORD", SECRET, (MIGRATE,), "app role secret's `password`", "app/p@ss"),
    V("DB_PUBLISHER_USER", SECRET, (WORKER, MIGRATE),
      "outbox publisher secret's `username`: the worker publishes the outbox through it, "
      "migrate provisions it (`db_app_role`); unset: no `publisher` alias", "pcs_publisher"),
    V("DB_PUBLISHER_PASSWORD", SECRET, (WORKER, MIGRATE), "publisher secret's `password`",
      "pub/p@ss"),
    V("REDIS_URL", PLAIN, ALL_SERVICES, "ElastiCache primary endpoint; must be `rediss://`",
      "rediss://master.pcs-prod.abc.use1.cache.amazonaws.com:6379/0", required=True),
    V("REDIS_AUTH_TOKEN", SECRET, ALL_SERVICES, "replication group AUTH token", "tok/en+chars",
      required=True),
    V("DOCUMENTS_BUCKET", PLAIN, ALL_SERVICES, "documents bucket name",
      "pcs-prod-documents-123456789012", required=True),
    V("DOCUMENTS_KMS_KEY_ID", PLAIN, ALL_SERVICES, "the documents bucket's KMS key ARN",
      "arn:aws:kms:us-east-1:123456789012:key/abc", required=True),
    V("KAFKA_BOOTSTRAP_SERVERS", SECRET, (WORKER,),
      "MSK IAM bootstrap brokers; unset: events wait in the outbox, readiness skips Kafka",
      "b-1.pcs.abc.kafka.us-east-1.amazonaws.com:9098", when="the tier runs Kafka"),
    V("OIDC_ISSUER", PLAIN, (API, WORKER, BEAT),
      "the user pools' issuers, exactly the access tokens' `iss`, comma-separated (the "
      "region's pool first; the DR region's API also accepts the primary's); unset: only API "
      "tokens",
      "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123"),
    V("OIDC_CLIENT_ID", PLAIN, (API, WORKER, BEAT),
      "app client id(s) accepted in the access tokens' `client_id`, comma-separated",
      "4example5client6id"),
    V("OIDC_JWKS_URL", PLAIN, (API, WORKER, BEAT),
      "the pool's key set; default `<OIDC_ISSUER>/.well-known/jwks.json`",
      "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123/.well-known/jwks.json"),
    V("COGNITO_JWKS", PLAIN, (API,),
      "the pool's key set (JSON, public keys) read at deploy, used instead of fetching it: the "
      "tasks have no route to Cognito; unset: fetched from the URL",
      '{"keys":[{"alg":"RS256","e":"AQAB","kid":"abc=","kty":"RSA","n":"...","use":"sig"}]}'),
    V("COGNITO_USER_POOL_ID", PLAIN, (API, WORKER),
      "the region's user pool, where members are invited; unset: nobody is invited (local "
      "accounts, or an operator's `member_bind`)", "us-east-1_AbC123"),
    V("COGNITO_STANDBY_REGION", PLAIN, (API, WORKER),
      "the other region, whose pool gets every member too (the worker retries it); unset: none",
      "us-west-2"),
    V("COGNITO_ADMIN_FUNCTION", PLAIN, (API, WORKER),
      "the pool-admin Lambda function the calls go through (the tasks have no route to "
      "Cognito); unset: cognito-idp directly", "pcs-prod-pool-admin"),
    V("AWS_ENDPOINT_URL_LAMBDA", PLAIN, (API, WORKER),
      "Lambda's standard endpoint, reached through its interface endpoint (no `lambda-fips` "
      "PrivateLink service)", "https://lambda.us-east-1.amazonaws.com"),
    V("AUDIT_FIREHOSE_STREAM", PLAIN, (WORKER,),
      "Firehose stream feeding the audit bucket (the outbox publisher's audit leg); unset: none",
      "pcs-prod-audit-application"),
    V("PORT", PLAIN, (API,), "gunicorn's port (the ALB target's)", "8000"),
    V("SERVE_TLS", PLAIN, (API,),
      "`true`: gunicorn serves HTTPS, certificate made at start (the ALB's target protocol); "
      "unset: HTTP (local)", "true"),
    V("CELERY_CONCURRENCY", PLAIN, (WORKER,), "Celery worker processes (`bin/worker -c`)", "4"),
    V("CELERY_METRICS_NAMESPACE", PLAIN, (BEAT,),
      "CloudWatch namespace of the queue metrics Beat publishes; unset: logged only",
      "PCS/Celery"),
    V("CELERY_METRICS_SERVICE", PLAIN, (BEAT,),
      "their `Service` dimension: the worker service whose queues they measure",
      "pcs-prod-worker"),
    V("AWS_ENDPOINT_URL_CLOUDWATCH", PLAIN, (BEAT,),
      "CloudWatch's standard endpoint, reached through its interface endpoint: PrivateLink "
      "offers no `monitoring-fips` and tasks have no internet path (docs/cryptography.md)",
      "https://monitoring.us-east-1.amazonaws.com"),
    V("AWS_ENDPOINT_URL_FIREHOSE", PLAIN, (WORKER,),
      "Firehose's standard endpoint, for the same reason (no `firehose-fips` PrivateLink "
      "service)", "https://firehose.us-east-1.amazonaws.com"),
    V("API_TOKEN_MAX_DAYS", PLAIN, (), "longest API token lifetime, 1 to 90; default 90", "90"),
    V("REDIS_KEY_PREFIX", PLAIN, (), "Redis key prefix; default `pcs:`", "pcs:"),
    V("LOG_LEVEL", PLAIN, (), "log level; default `INFO`", "INFO"),
    V("GUNICORN_WORKERS", PLAIN, (), "gunicorn (gevent) worker processes; default one per CPU",
      "2"),
    V("GUNICORN_WORKER_CONNECTIONS", PLAIN, (),
      "concurrent connections per gunicorn worker; default 1000", "1000"),
)  # fmt: skip

BY_NAME = {variable.name: variable for variable in VARIABLES}
_NAMES = [variable.name for variable in VARIABLES]
if len(BY_NAME) != len(_NAMES):  # a second entry for a name would shadow the first
    _TWICE = sorted({name for name in _NAMES if _NAMES.count(name) > 1})
    raise ValueError(f"container contract lists twice: {', '.join(_TWICE)}")


def for_service(service: Service) -> tuple[Variable, ...]:
    """The variables ``service``'s task definition sets (conditional ones included)."""
    return tuple(variable for variable in VARIABLES if service in variable.services)


def required_names() -> tuple[str, ...]:
    """The variables production settings refuse to start without, in contract order."""
    return tuple(variable.name for variable in VARIABLES if variable.required)


TABLE_START = "<!-- container-contract:start (make contract-table) -->"
TABLE_END = "<!-- container-contract:end -->"


def markdown_table() -> str:
    """The environment table of docs/service.md, between its markers."""
    lines = [
        TABLE_START,
        "| variable | required | kind | set for | meaning | example |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for v in VARIABLES:
        services = ", ".join(s.value for s in v.services) or "none (image default)"
        if v.when:
            services += f" (when {v.when})"
        required = "yes" if v.required else "no"
        example = "(secret)" if v.kind is Kind.SECRET else f"`{v.example}`"
        lines.append(
            f"| `{v.name}` | {required} | {v.kind.value} | {services} | {v.meaning} | {example} |"
        )
    lines.append(TABLE_END)
    return "\n".join(lines)


def with_table(document: str) -> str:
    """``document`` with the text between the contract markers replaced by the current table."""
    pattern = re.compile(re.escape(TABLE_START) + r".*?" + re.escape(TABLE_END), re.DOTALL)
    if not pattern.search(document):
        raise ValueError(f"no {TABLE_START!r} ... {TABLE_END!r} markers")
    return pattern.sub(lambda _: markdown_table(), document)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: container_contract.py MARKDOWN_FILE")
    target = Path(sys.argv[1])
    target.write_text(with_table(target.read_text()))
