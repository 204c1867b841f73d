"""The test-phase hook's smoke test against a local API over real HTTP, with a fake clock."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest

from infra.delivery.hooks.test_phase import SMOKE_DOCUMENT, SmokePlan, run_test_phase
from tests.infra.local_http import QuietHandler, serving

TOKEN = "pcs_" + "s" * 43


class FakeApi(QuietHandler):
    """Readiness and the documents API of one tenant; ``broken`` paths answer 500."""

    broken: frozenset[str] = frozenset()
    documents: dict[str, dict] = {}
    seen: list[tuple[str, str, str | None]] = []

    def _route(self, method: str) -> None:
        path = self.path.split("?")[0]
        self.seen.append((method, self.path, self.headers.get("Authorization")))
        if path in self.broken:
            return self.answer(500, {"detail": "server error"})
        if path == "/health/ready":
            return self.answer(200, {"status": "ready"})
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self.answer(401, {"detail": "not signed in"})
        if method == "GET" and path == "/api/v1/documents/":
            return self.answer(200, {"count": 0, "results": list(self.documents.values())})
        if method == "POST" and path == "/api/v1/documents/":
            sent = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            document = {"id": str(uuid.uuid4()), **sent}
            self.documents[document["id"]] = document
            return self.answer(201, {"document": document, "upload": {}})
        document_id = path.removeprefix("/api/v1/documents/").rstrip("/")
        if method == "GET" and document_id in self.documents:
            return self.answer(200, self.documents[document_id])
        return self.answer(404, {"detail": "not found"})

    def do_GET(self) -> None:
        self._route("GET")

    def do_POST(self) -> None:
        self._route("POST")


@pytest.fixture
def api() -> Iterator[tuple[str, type[FakeApi]]]:
    """A local API on a free port; the handler class holds its state for this test."""
    handler = type("Api", (FakeApi,), {"documents": {}, "seen": [], "broken": frozenset()})
    with serving(handler) as url:
        yield url, handler


class FakeClock:
    """Time that advances only when the hook sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def _run(base_url: str, token: str = TOKEN) -> tuple[str, FakeClock]:
    plan = SmokePlan(
        base_url=base_url,
        ready_path="/health/ready",
        duration_seconds=60,
        interval_seconds=15,
        token_secret="pcs-prod/smoke-test-token",
    )
    clock = FakeClock()
    return run_test_phase(plan, token=token, clock=clock, sleep=clock.sleep), clock


def test_hook_fails_when_the_documents_api_answers_500_while_ready(api) -> None:
    base_url, handler = api
    handler.broken = frozenset({"/api/v1/documents/"})
    status, _ = _run(base_url)
    assert status == "FAILED"
    assert [(method, path) for method, path, _ in handler.seen] == [
        ("GET", "/health/ready"),
        ("GET", "/api/v1/documents/?limit=1"),
    ]


def test_hook_succeeds_after_signed_in_rounds_of_list_create_and_read_back(api) -> None:
    base_url, handler = api
    status, clock = _run(base_url)
    assert status == "SUCCEEDED"
    assert clock.sleeps == [15, 15, 15, 15]  # five rounds over the 60-second phase
    (first_id,) = list(handler.documents)[:1]
    assert handler.seen[:4] == [
        ("GET", "/health/ready", None),
        ("GET", "/api/v1/documents/?limit=1", f"Bearer {TOKEN}"),
        ("POST", "/api/v1/documents/", f"Bearer {TOKEN}"),
        ("GET", f"/api/v1/documents/{first_id}/", f"Bearer {TOKEN}"),
    ]
    assert len(handler.seen) == 5 * 4
    assert {d["title"] for d in handler.documents.values()} == {SMOKE_DOCUMENT["title"]}


def test_hook_fails_when_the_token_is_refused(api) -> None:
    base_url, _ = api
    status, _ = _run(base_url, token="pcs_revoked")
    assert status == "FAILED"


def test_hook_fails_when_a_created_document_cannot_be_read_back(api) -> None:
    base_url, handler = api

    class Forgetful(dict):
        def __setitem__(self, key: str, value: dict) -> None:
            pass  # created, answered 201, never stored

    handler.documents = Forgetful()
    status, _ = _run(base_url)
    assert status == "FAILED"
    method, path, _ = handler.seen[-1]
    assert method == "GET" and path.startswith("/api/v1/documents/") and "?" not in path


def test_hook_fails_at_once_when_a_later_round_errs(api) -> None:
    base_url, handler = api
    original = handler._route
    calls = []

    def flaky(self: FakeApi, method: str) -> None:
        calls.append(method)
        if len(calls) == 9:  # the third round's readiness
            self.broken = frozenset({"/health/ready"})
        original(self, method)

    handler._route = flaky
    status, clock = _run(base_url)
    assert status == "FAILED"
    assert clock.sleeps == [15, 15]


def test_hook_fails_when_green_does_not_answer() -> None:
    status, clock = _run("http://127.0.0.1:9")  # discard port: connection refused
    assert status == "FAILED"
    assert clock.sleeps == []
