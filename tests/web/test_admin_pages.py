"""The admin pages (issue 22): an admin invites a person who signs in and uploads; members' roles
and access change; API tokens are issued (shown once), listed and revoked; a member sees no admin
page. Each page on a desktop and a phone, checked with axe-core and screenshotted."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

from playwright.sync_api import Browser, Page, expect

from tests.web.conftest import Portal, new_page
from tests.web.test_portal import alerts, check_page, sign_in

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def nav_shows(page: Page, labels: list[str]) -> None:
    """Wait for the main navigation to show exactly `labels`, in order."""
    expect(page.get_by_role("navigation", name="Main").get_by_role("link")).to_have_text(labels)


def status(page: Page, text: str) -> None:
    """Wait for `text` in one of the page's status lines."""
    expect(page.get_by_role("main").get_by_role("status").filter(has_text=text)).to_be_visible()


def fits_the_screen(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the phone's screen"


def api_status(portal: Portal, token: str) -> int:
    """The API's answer to listing documents with `token`."""
    request = urllib.request.Request(
        f"{portal.api}/api/v1/documents/", headers={"Authorization": f"Bearer {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_an_admin_invites_a_person_who_signs_in_and_uploads(
    browser: Browser, portal: Portal
) -> None:
    admin = new_page(browser)
    sign_in(admin, portal, "admin")
    nav_shows(admin, ["Documents", "Audit trail", "Members", "API tokens"])
    admin.get_by_role("link", name="Members").click()
    expect(admin.get_by_role("heading", name="Members", exact=True)).to_be_visible()
    expect(admin.get_by_role("row").filter(has_text="admin (you)")).to_be_visible()

    # Keyboard only: the username, Tab to the role, Tab to Invite, Enter.
    admin.get_by_label("Username").focus()
    admin.keyboard.type("new-hire")
    admin.keyboard.press("Tab")
    expect(admin.get_by_label("Role", exact=True)).to_be_focused()
    admin.keyboard.press("Tab")
    expect(admin.get_by_role("button", name="Invite")).to_be_focused()
    admin.keyboard.press("Enter")
    # No pool is reached here (the local provider's accounts): the page says none e-mailed them.
    status(
        admin,
        "new-hire was added as member; no invitation was sent (this deployment does not reach"
        " the user pool): they sign in as ",
    )
    row = admin.get_by_role("row").filter(has_text="new-hire")
    expect(row).to_contain_text("Invited, not signed in yet")
    # The pool's generated name, which its invitation e-mails them (here: read off the page).
    sign_in_name = row.get_by_role("cell").first.inner_text()
    assert sign_in_name == portal.sign_in_name("new-hire")
    check_page(admin, "11-members-invited")

    admin.get_by_label("Username").fill("not a name")
    admin.get_by_role("button", name="Invite").click()
    expect(alerts(admin)).to_have_text(
        "username: use letters, digits and . @ + - _ only (no spaces)"
    )
    check_page(admin, "12-members-invite-refused")

    person = new_page(browser)
    sign_in(person, portal, "new-hire", sign_in_name)
    nav_shows(person, ["Documents", "API tokens"])
    person.get_by_label("Title").fill("Onboarding checklist")
    person.get_by_label("File").set_input_files(
        {"name": "onboarding.txt", "mimeType": "text/plain", "buffer": b"PS-7 onboarding"}
    )
    person.get_by_role("button", name="Upload").click()
    expect(person.get_by_text("“Onboarding checklist” was uploaded")).to_be_visible()

    admin.get_by_role("link", name="Documents").click()
    expect(admin.get_by_role("row").filter(has_text="Onboarding checklist")).to_be_visible()
    admin.get_by_role("link", name="Members").click()
    expect(row).to_contain_text("Active")
    row.get_by_label("Role of new-hire", exact=True).select_option("auditor")
    row.get_by_role("button", name="Change role of new-hire").click()
    status(admin, "new-hire is now an auditor.")
    row.get_by_role("button", name="Deactivate new-hire").click()
    status(admin, "new-hire was deactivated.")
    expect(row).to_contain_text("Deactivated")
    row.get_by_role("button", name="Reactivate new-hire").focus()
    admin.keyboard.press("Enter")
    status(admin, "new-hire was reactivated.")
    expect(row).to_contain_text("Active")


def test_a_member_issues_a_token_sees_it_once_and_revokes_it(
    browser: Browser, portal: Portal
) -> None:
    page = new_page(browser)
    sign_in(page, portal, "developer")
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", name="Your tokens")).to_be_visible()

    page.get_by_label("Name", exact=True).fill("nightly export")
    page.get_by_label("Expires in (days)").fill("0")
    page.get_by_role("button", name="Issue token").click()
    expect(alerts(page)).to_have_text("Expires in: enter a whole number of days, 1 or more.")
    page.get_by_label("Expires in (days)").fill("3650")
    page.get_by_role("button", name="Issue token").click()
    expect(alerts(page)).to_contain_text("days: days must be from 1 to")
    check_page(page, "13-tokens-refused")

    page.get_by_label("Expires in (days)").fill("7")
    page.keyboard.press("Enter")
    shown = page.get_by_label("Token value")
    expect(shown).to_have_value(re.compile(r"^pcs_"))
    expect(page.get_by_role("heading", name="Your new token “nightly export”")).to_be_focused()
    token = shown.input_value()
    assert api_status(portal, token) == 200
    check_page(page, "14-tokens-shown-once")
    page.get_by_role("button", name="I have copied it").click()
    expect(page.get_by_label("Token value")).to_have_count(0)
    assert token not in page.content()

    row = page.get_by_role("row").filter(has_text="nightly export")
    expect(row).to_contain_text("Active")
    check_page(page, "15-tokens-list")
    row.get_by_role("button", name="Revoke nightly export").click()
    status(page, "Token “nightly export” was revoked; it no longer works.")
    expect(row).to_contain_text("Revoked")
    assert api_status(portal, token) == 401


def test_a_member_sees_no_admin_page(browser: Browser, portal: Portal) -> None:
    page = new_page(browser)
    members_calls: list[str] = []
    page.on(
        "request",
        lambda request: "/api/v1/members/" in request.url and members_calls.append(request.url),
    )
    sign_in(page, portal, "developer")
    nav_shows(page, ["Documents", "API tokens"])
    # Typed into the address bar: a new page load, so a new sign-in (tokens live in memory).
    page.goto(f"{portal.web}/members")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{portal.web}/members")
    expect(page.get_by_role("heading", name="Not available to your role")).to_be_visible()
    expect(alerts(page)).to_have_text("This page is for admins. You are signed in as a member.")
    nav_shows(page, ["Documents", "API tokens"])
    assert members_calls == []
    check_page(page, "16-members-refused-to-a-member")


def test_the_admin_pages_fit_a_phone(browser: Browser, portal: Portal) -> None:
    page = new_page(browser, **PHONE)
    sign_in(page, portal, "admin")
    page.get_by_role("link", name="Members").click()
    expect(page.get_by_role("row").filter(has_text="developer")).to_be_visible()
    fits_the_screen(page)
    check_page(page, "17-phone-members")
    page.get_by_role("link", name="API tokens").click()
    expect(
        page.get_by_role("heading", name=re.compile(r"^Your organization.s tokens$"))
    ).to_be_visible()
    page.get_by_label("Name", exact=True).fill("phone")
    page.get_by_role("button", name="Issue token").click()
    expect(page.get_by_label("Token value")).to_be_visible()
    fits_the_screen(page)
    check_page(page, "18-phone-tokens-shown-once")
    page.get_by_role("button", name="I have copied it").click()
    expect(page.get_by_role("row").filter(has_text="phone")).to_be_visible()
    fits_the_screen(page)
    check_page(page, "19-phone-tokens")
    nav_shows(page, ["Documents", "Audit trail", "Members", "API tokens"])
