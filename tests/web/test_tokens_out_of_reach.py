"""Tokens out of reach of scripts (issue 22): every page carries a nonce-based CSP without
`'unsafe-inline'` for scripts, and after sign-in no token is in the browser's storage."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page

from tests.web.conftest import Portal, new_page
from tests.web.test_portal import sign_in

# A JWT (header.payload.signature, base64url) or any of oidc-client-ts's token fields.
TOKEN_SHAPES = re.compile(r"eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+|access_token|id_token|refresh_token")


def directives(policy: str) -> dict[str, list[str]]:
    """A CSP's directives by name."""
    parsed = (part.split() for part in policy.split(";") if part.strip())
    return {name: values for name, *values in parsed}


def script_sources(page: Page, url: str) -> tuple[list[str], str]:
    """The `script-src` of the page at `url` and the nonce its own scripts carry."""
    response = page.goto(url)
    assert response is not None
    policy = response.headers.get("content-security-policy", "")
    nonces = page.eval_on_selector_all("script[src]", "scripts => scripts.map(s => s.nonce)")
    assert nonces and len(set(nonces)) == 1, nonces
    return directives(policy).get("script-src", []), nonces[0]


def test_each_page_sends_a_fresh_nonce_and_no_unsafe_inline_for_scripts(
    browser: Browser, portal: Portal
) -> None:
    page = new_page(browser)
    first, nonce = script_sources(page, portal.web)
    assert "'unsafe-inline'" not in first
    assert f"'nonce-{nonce}'" in first
    assert "'strict-dynamic'" in first
    second, other_nonce = script_sources(page, f"{portal.web}/documents")
    assert other_nonce != nonce and f"'nonce-{other_nonce}'" in second


def test_after_sign_in_no_token_is_in_the_browser_storage(browser: Browser, portal: Portal) -> None:
    page = new_page(browser)
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text))
    with page.expect_response(f"{portal.issuer}/token") as answer:
        sign_in(page, portal, "developer")
    # The provider, like the user pool, hands out a refresh token with every sign-in.
    assert set(answer.value.json()) >= {"access_token", "id_token", "refresh_token"}
    page.get_by_role("status").filter(has_text="documents").wait_for()
    storage = page.evaluate(
        """() => [sessionStorage, localStorage].flatMap(store =>
            Object.keys(store).map(key => `${key}=${store.getItem(key)}`))"""
    )
    assert [entry for entry in storage if TOKEN_SHAPES.search(entry)] == []
    cookies = [cookie["value"] for cookie in page.context.cookies(portal.web)]
    assert [value for value in cookies if TOKEN_SHAPES.search(value)] == []
    assert [text for text in violations if "Content Security Policy" in text] == []
