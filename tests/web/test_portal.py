"""What a person does in the portal, in Debian's Chromium against the running stack.

Each page is screenshotted to out/web-e2e/ and checked with axe-core (no serious or critical
violations).
"""

from __future__ import annotations

import hashlib
import re

from playwright.sync_api import Browser, Locator, Page, expect

from tests.web.conftest import (
    Portal,
    new_page,
    screenshot,
    serious_accessibility_violations,
)

POLICY = b"Access control policy v1\nAC-2 account management: reviewed quarterly.\n"
PROCESSING_SECONDS = 60


def alerts(page: Page) -> Locator:
    """The page's error messages (Next's route announcer is an alert outside main)."""
    return page.get_by_role("main").get_by_role("alert")


def check_page(page: Page, name: str) -> None:
    """Screenshot `page` and assert axe finds nothing serious on it."""
    screenshot(page, name)
    assert serious_accessibility_violations(page) == [], name


def sign_in(page: Page, portal: Portal, username: str, sign_in_name: str | None = None) -> None:
    """From the portal's start page through the provider's form (as the pool user the member
    `username` signs in as), back on the documents page."""
    page.goto(portal.web)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Username").fill(sign_in_name or portal.sign_in_name(username))
    page.get_by_label("Password").fill("local-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{portal.web}/documents")
    expect(page.get_by_text(f"Signed in as {username}")).to_be_visible()


def test_a_member_uploads_a_document_and_watches_it_processed_then_signs_out(
    browser: Browser, portal: Portal
) -> None:
    page = new_page(browser)
    page.goto(portal.web)
    expect(page.get_by_role("heading", name="Sign in to PCS Platform")).to_be_visible()
    check_page(page, "01-sign-in")

    # Keyboard only: the skip link, the brand link, then the sign-in button.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Sign in")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"^{re.escape(portal.issuer)}/interaction/"))
    check_page(page, "02-provider-sign-in")
    page.get_by_label("Username").fill(portal.sign_in_name("developer"))
    page.get_by_label("Password").fill("local-password")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{portal.web}/documents")
    expect(page.get_by_role("heading", name="Documents", exact=True)).to_be_visible()
    # Other tests' members upload to the same organization: the count is whatever it is.
    expect(
        page.get_by_role("status").filter(has_text=re.compile(r"^\d+ documents?"))
    ).to_be_visible()

    page.get_by_label("Title").fill("Access control policy")
    page.get_by_label("File").set_input_files(
        {"name": "policy.txt", "mimeType": "text/plain", "buffer": POLICY}
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("“Access control policy” was uploaded")).to_be_visible()

    # No reload: the list polls until the worker has processed the file.
    row = page.get_by_role("row").filter(has_text="Access control policy")
    expect(row.get_by_text("Processed")).to_be_visible(timeout=PROCESSING_SECONDS * 1000)
    check_page(page, "03-documents-processed")

    row.get_by_role("link", name="Access control policy").click()
    expect(page.get_by_role("heading", name="Access control policy")).to_be_visible()
    expect(page.get_by_text(hashlib.sha256(POLICY).hexdigest())).to_be_visible()
    expect(page.get_by_text("text/plain").first).to_be_visible()
    check_page(page, "04-document-detail")

    page.get_by_role("link", name="All documents").click()
    page.get_by_label("Title").fill("Firmware image")
    page.get_by_label("File").set_input_files(
        {"name": "firmware.bin", "mimeType": "application/octet-stream", "buffer": b"\x7fELF"}
    )
    page.get_by_role("button", name="Upload").click()
    refusal = alerts(page)
    expect(refusal).to_contain_text(
        'content_type: "application/octet-stream" is not an allowed content type'
    )
    check_page(page, "05-upload-refused")

    # A member's navigation has no audit trail (tests/web/test_admin_pages.py: no admin pages).
    expect(page.get_by_role("navigation", name="Main").get_by_role("link")).to_have_text(
        ["Documents", "API tokens"]
    )

    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{portal.web}/signed-out")
    expect(page.get_by_role("heading", name="You have signed out")).to_be_visible()
    check_page(page, "07-signed-out")
    page.goto(f"{portal.web}/documents")
    expect(page.get_by_role("heading", name="Sign in to PCS Platform")).to_be_visible()


def test_an_auditor_finds_the_upload_in_the_audit_trail(browser: Browser, portal: Portal) -> None:
    member = new_page(browser)
    sign_in(member, portal, "developer")
    member.get_by_label("Title").fill("Incident response plan")
    member.get_by_label("File").set_input_files(
        {"name": "irp.txt", "mimeType": "text/plain", "buffer": b"IR-8 incident response plan"}
    )
    member.get_by_role("button", name="Upload").click()
    expect(member.get_by_text("was uploaded; processing has started")).to_be_visible()

    page = new_page(browser)
    sign_in(page, portal, "auditor")
    page.get_by_role("link", name="Audit trail").click()
    expect(page.get_by_role("heading", name="Audit trail")).to_be_visible()
    page.get_by_label("Action").fill("document.uploaded")
    page.get_by_label("Actor").fill("developer")
    page.get_by_label("Outcome").select_option("success")
    page.get_by_role("button", name="Apply filters").click()
    rows = page.get_by_role("row").filter(has_text="document.uploaded")
    expect(rows.first).to_be_visible()
    expect(rows.first).to_contain_text("developer")
    expect(page.get_by_role("row").filter(has_text="document.registered")).to_have_count(0)
    check_page(page, "08-audit-trail")

    page.get_by_label("From (UTC)").fill("2030-01-02")
    page.get_by_label("To (UTC)").fill("2030-01-01")
    page.get_by_role("button", name="Apply filters").click()
    expect(alerts(page)).to_have_text("The end date is before the start date.")


def test_on_a_phone_the_documents_fit_the_screen(browser: Browser, portal: Portal) -> None:
    page = new_page(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    sign_in(page, portal, "developer")
    expect(page.get_by_role("button", name="Upload")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the phone's screen"
    check_page(page, "09-phone-documents")


def test_an_expired_session_is_named_and_offers_sign_in(browser: Browser, portal: Portal) -> None:
    page = new_page(browser)
    sign_in(page, portal, "developer")
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", name="Your tokens")).to_be_visible()
    # The API refuses the token from now on, as it does once a token has expired (the token is
    # in the page's memory, out of the test's reach as of any other script's). Set once off the
    # documents page: its list polls, and a poll refused before the click above ended the session
    # first (the link left the page; seen under load).
    page.route(
        re.compile(r"/api/v1/documents/"),
        lambda route: route.fulfill(status=401, json={"detail": "Invalid or revoked token."}),
    )
    page.get_by_role("link", name="Documents").click()
    expect(alerts(page)).to_have_text("Your session has expired. Sign in again to continue.")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    check_page(page, "10-session-expired")
