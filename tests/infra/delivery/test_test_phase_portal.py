"""The portal's test-phase hook against a local portal over real HTTP, with a fake clock: the
liveness route answering is not enough, the page must render (issue 25, "the same for the
portal")."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from infra.delivery.hooks.test_phase import PortalPage, SmokePlan, run_test_phase
from tests.infra.delivery.test_test_phase_hook import FakeClock
from tests.infra.local_http import QuietHandler, serving

MARKER = "<title>PCS Platform</title>"
RENDERED = f"<!DOCTYPE html><html><head>{MARKER}</head><body><main>…</main></body></html>"


class FakePortal(QuietHandler):
    """The portal's liveness route and one page; ``broken`` paths answer 500, ``page`` is
    what the page answers otherwise (status, body, content type)."""

    broken: frozenset[str] = frozenset()
    page: tuple[int, bytes, str] = (200, RENDERED.encode(), "text/html; charset=utf-8")
    seen: list[str] = []

    def do_GET(self) -> None:
        self.seen.append(self.path)
        if self.path in self.broken:
            return self.answer(500, b"Internal Server Error", "text/plain")
        if self.path == "/healthz":
            return self.answer(200, {"status": "ok"})
        if self.path == "/documents":
            return self.answer(*self.page)
        return self.answer(404, b"not found", "text/plain")


@pytest.fixture
def fake_portal() -> Iterator[tuple[str, type[FakePortal]]]:
    handler = type("Portal", (FakePortal,), {"seen": [], "broken": frozenset()})
    with serving(handler) as url:
        yield url, handler


def _plan(base_url: str) -> SmokePlan:
    return SmokePlan(
        base_url=base_url,
        ready_path="/healthz",
        duration_seconds=60,
        interval_seconds=15,
        page=PortalPage(path="/documents", marker=MARKER),
    )


def _run(base_url: str) -> tuple[str, FakeClock]:
    clock = FakeClock()
    return run_test_phase(_plan(base_url), clock=clock, sleep=clock.sleep), clock


def test_hook_fails_when_the_page_answers_500_while_alive(fake_portal) -> None:
    base_url, handler = fake_portal
    handler.broken = frozenset({"/documents"})
    status, clock = _run(base_url)
    assert status == "FAILED"
    assert handler.seen == ["/healthz", "/documents"]
    assert clock.sleeps == []


def test_hook_succeeds_after_rounds_of_liveness_and_a_rendered_page(fake_portal) -> None:
    base_url, handler = fake_portal
    status, clock = _run(base_url)
    assert status == "SUCCEEDED"
    assert clock.sleeps == [15, 15, 15, 15]
    assert handler.seen == ["/healthz", "/documents"] * 5


@pytest.mark.parametrize(
    "page",
    [
        (200, b"<!DOCTYPE html><html><head><title>Maintenance</title></head></html>", "text/html"),
        (200, b'{"status": "ok"}', "application/json"),
        (200, MARKER.encode(), "text/plain"),
    ],
    ids=["another-page", "json", "not-html"],
)
def test_hook_fails_when_the_page_is_not_the_portals_render(fake_portal, page) -> None:
    base_url, handler = fake_portal
    handler.page = page
    status, _ = _run(base_url)
    assert status == "FAILED"


def test_hook_fails_when_liveness_fails(fake_portal) -> None:
    base_url, handler = fake_portal
    handler.broken = frozenset({"/healthz"})
    status, _ = _run(base_url)
    assert status == "FAILED"
    assert handler.seen == ["/healthz"]


def test_a_plan_tests_the_documents_api_or_a_page_never_both_nor_neither() -> None:
    common = {"base_url": "https://x", "ready_path": "/r", "duration_seconds": 1}
    with pytest.raises(ValueError, match="exactly one"):
        SmokePlan(**common, interval_seconds=1)
    with pytest.raises(ValueError, match="exactly one"):
        SmokePlan(**common, interval_seconds=1, token_secret="s", page=PortalPage("/p", MARKER))
