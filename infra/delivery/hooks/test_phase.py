"""ECS blue/green hook at POST_TEST_TRAFFIC_SHIFT: hold the test phase and judge the green tasks.

The new (green) tasks receive test traffic on the ALB's test listener. For the whole test phase
this hook uses them as a customer would, through that listener: readiness, then either the
documents API signed in with the smoke-test tenant's API token (list, create, read the new
document back; the API's release) or one page of the portal, which must come back as HTML
carrying a marker only the portal's server-side render writes (the web release: its liveness
route answers before any page renders).
It answers ECS ``SUCCEEDED`` (production traffic moves to green) only if every round passed;
the first failed step answers ``FAILED``, which rolls the deployment back. Its requests are also
the traffic the green target group's rollback alarm counts. A service at rest (desired count 0:
the pilot-light DR region's services, which every release reaches) has no green task to test:
the hook answers ``SUCCEEDED`` without a probe, where a smoke test would meet the ALB's 503 and
roll the DR release back.
Standard library only (boto3, for the token, is in the Lambda runtime), so the asset needs no
build step.
"""

from __future__ import annotations

import json
import os
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

DOCUMENTS_PATH = "/api/v1/documents/"
# What the smoke test registers: a document that is never uploaded stays pending and costs one
# row in the smoke-test tenant.
SMOKE_DOCUMENT = {
    "title": "release smoke test",
    "filename": "release-smoke-test.pdf",
    "content_type": "application/pdf",
}
REQUEST_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class PortalPage:
    """A page of the portal and a marker its server-side render always writes into the HTML."""

    path: str
    marker: str


@dataclass(frozen=True)
class SmokePlan:
    """Where green answers, for how long to test it, how often, and what: the documents API
    (``token_secret``: the Secrets Manager id of the smoke-test tenant's API token) or a portal
    page (``page``), exactly one."""

    base_url: str  # https://<origin name>:<test listener port>
    ready_path: str
    duration_seconds: int
    interval_seconds: int
    token_secret: str | None = None
    page: PortalPage | None = None

    def __post_init__(self) -> None:
        if (self.token_secret is None) == (self.page is None):
            raise ValueError("a smoke plan needs exactly one of token_secret and page")

    @classmethod
    def from_environment(cls) -> SmokePlan:
        """Read the phase from the function's environment (set by the CDK construct)."""
        page_path = os.environ.get("PAGE_PATH")
        return cls(
            base_url=os.environ["TEST_BASE_URL"],
            ready_path=os.environ["READY_PATH"],
            duration_seconds=int(os.environ["TEST_PHASE_SECONDS"]),
            interval_seconds=int(os.environ["PROBE_INTERVAL_SECONDS"]),
            token_secret=os.environ.get("SMOKE_TOKEN_SECRET"),
            page=PortalPage(page_path, os.environ["PAGE_MARKER"]) if page_path else None,
        )


class SmokeFailure(Exception):
    """A step of the smoke test failed; the message names the step and what came back."""


@dataclass(frozen=True)
class Answer:
    """What came back: the status, the raw body and its content type."""

    status: int
    body: bytes = b""
    content_type: str = ""

    def json(self) -> object:
        """The body parsed as JSON, or ``None`` when it is empty or not JSON."""
        try:
            return json.loads(self.body) if self.body else None
        except ValueError:
            return None


Call = Callable[..., Answer]


def call(
    method: str,
    url: str,
    *,
    token: str | None = None,
    body: object = None,
    accept: str = "application/json",
) -> Answer:
    """One request over verified TLS, or :class:`SmokeFailure` when no answer comes within the
    timeout."""
    headers = {"Accept": accept}
    data = None
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if body is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(
            request, timeout=REQUEST_TIMEOUT_SECONDS, context=ssl.create_default_context()
        ) as response:
            return Answer(response.status, response.read(), response.headers["Content-Type"])
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read(), error.headers["Content-Type"] or "")
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        raise SmokeFailure(f"{method} {url}: no answer ({error})") from error


def _expecting(send: Call) -> Callable[..., Answer]:
    def expect(step: str, status: int, method: str, url: str, **kwargs: object) -> Answer:
        answer = send(method, url, **kwargs)
        if answer.status != status:
            raise SmokeFailure(
                f"{step}: {method} {url} answered {answer.status}, expected {status}"
            )
        return answer

    return expect


def smoke_round(plan: SmokePlan, token: str | None, *, send: Call = call) -> None:
    """Readiness, then the plan's documents round or page; raises at the first failure."""
    _expecting(send)("readiness", 200, "GET", plan.base_url + plan.ready_path)
    if plan.page is not None:
        render_page(plan.base_url, plan.page, send=send)
    else:
        assert token is not None  # judge_deployment reads it for a documents plan
        documents_round(plan.base_url, token, send=send)


def render_page(base: str, page: PortalPage, *, send: Call = call) -> None:
    """The page answers 200 with HTML carrying the portal's marker."""
    url = base + page.path
    answer = _expecting(send)("page", 200, "GET", url, accept="text/html")
    if not answer.content_type.startswith("text/html") or page.marker.encode() not in answer.body:
        raise SmokeFailure(
            f"page: GET {url} is not the portal's render ({answer.content_type or 'no type'}, "
            f"no {page.marker!r})"
        )


def documents_round(base: str, token: str, *, send: Call = call) -> None:
    """List, create and read back one document as the smoke-test tenant."""
    expect = _expecting(send)
    page = expect("list", 200, "GET", f"{base}{DOCUMENTS_PATH}?limit=1", token=token).json()
    if not isinstance(page, dict) or not isinstance(page.get("results"), list):
        raise SmokeFailure("list: the answer is not a page of documents")
    created = expect(
        "create", 201, "POST", base + DOCUMENTS_PATH, token=token, body=SMOKE_DOCUMENT
    ).json()
    try:
        document_id = created["document"]["id"]  # type: ignore[index]
    except (TypeError, KeyError) as error:
        raise SmokeFailure("create: the answer names no document id") from error
    read = expect(
        "read back", 200, "GET", f"{base}{DOCUMENTS_PATH}{document_id}/", token=token
    ).json()
    if not isinstance(read, dict) or read.get("id") != document_id:
        raise SmokeFailure(f"read back: document {document_id} came back as {read!r}")


def run_test_phase(
    plan: SmokePlan,
    *,
    token: str | None = None,
    send: Call = call,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> str:
    """Smoke-test green every interval until the phase ends; ``FAILED`` at the first error."""
    deadline = clock() + plan.duration_seconds
    while True:
        try:
            smoke_round(plan, token, send=send)
        except SmokeFailure as failure:
            print(f"smoke test failed: {failure}")
            return "FAILED"
        if clock() >= deadline:
            return "SUCCEEDED"
        sleep(plan.interval_seconds)


def _client(service: str) -> Any:
    import boto3  # in the Lambda runtime; imported here so the tests need no AWS
    from botocore.config import Config

    return boto3.client(
        service,
        config=Config(connect_timeout=5, read_timeout=10, retries={"total_max_attempts": 3}),
    )


def read_token(secret_id: str) -> str:
    """The smoke-test tenant's API token from Secrets Manager (never logged)."""
    return _client("secretsmanager").get_secret_value(SecretId=secret_id)["SecretString"].strip()


def desired_tasks(service_arn: str, *, ecs: Any) -> int:
    """The service's desired count (``arn:aws:ecs:<region>:<account>:service/<cluster>/<name>``)."""
    cluster = service_arn.split(":", 5)[5].split("/")[1]
    (service,) = ecs.describe_services(cluster=cluster, services=[service_arn])["services"]
    return int(service["desiredCount"])


def judge_deployment(
    event: dict,
    plan: SmokePlan,
    *,
    ecs: Any,
    read_token: Callable[[str], str] = read_token,
    send: Call = call,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> str:
    """``SUCCEEDED`` at once for a service at rest (0 tasks desired), else the test phase."""
    service_arn = event["executionDetails"]["serviceArn"]
    if desired_tasks(service_arn, ecs=ecs) == 0:
        print(f"{service_arn} desires 0 tasks (at rest): no green task to smoke-test")
        return "SUCCEEDED"
    token = read_token(plan.token_secret) if plan.token_secret is not None else None
    return run_test_phase(plan, token=token, send=send, clock=clock, sleep=sleep)


def handler(event: dict, context: object) -> dict:
    """Lambda entry point: ECS reads ``hookStatus`` from the response."""
    status = judge_deployment(event, SmokePlan.from_environment(), ecs=_client("ecs"))
    print(f"test phase of {event.get('resourceArn', 'unknown deployment')}: {status}")
    return {"hookStatus": status}
