"""The portal's release smoke test against the real portal (Next.js standalone, run by
run-local): the page and marker the web test-phase hook is configured with are what the portal
really renders, so a healthy release passes (issue 25; the failing cases run against a local
stand-in in tests/infra/delivery/test_test_phase_portal.py)."""

from __future__ import annotations

from infra.config import load_config
from infra.delivery.hooks.test_phase import PortalPage, SmokePlan, run_test_phase
from tests.web.conftest import Portal


def _plan(base_url: str, page: PortalPage) -> SmokePlan:
    config = load_config("prod")
    return SmokePlan(
        base_url=base_url,
        ready_path=config.compute.web_health_check_path,
        duration_seconds=0,  # one round
        interval_seconds=1,
        page=page,
    )


def test_the_web_hook_passes_a_portal_that_renders(portal: Portal) -> None:
    delivery = load_config("prod").delivery
    page = PortalPage(delivery.web_test_page_path, delivery.web_test_page_marker)
    assert run_test_phase(_plan(portal.web, page)) == "SUCCEEDED"


def test_the_web_hook_fails_a_page_the_portal_does_not_render(portal: Portal) -> None:
    delivery = load_config("prod").delivery
    missing = PortalPage("/no-such-page", delivery.web_test_page_marker)
    assert run_test_phase(_plan(portal.web, missing)) == "FAILED"
