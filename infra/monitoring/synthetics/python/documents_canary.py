"""CloudWatch Synthetics canary: signs in to the public site with the smoke-test tenant's API
token and lists documents, as a customer's integration would.

A run fails (Synthetics counts it in ``SuccessPercent``) when the list does not answer 200 with a
page of documents within the timeout. Standard library only (boto3, for the token, is in the
Synthetics runtime); the token is read from Secrets Manager at each run and never printed.
"""

from __future__ import annotations

import json
import os
import ssl
import urllib.error
import urllib.request
from collections.abc import Callable

DOCUMENTS_PATH = "/api/v1/documents/?limit=1"
TIMEOUT_SECONDS = 10.0


class CanaryFailure(Exception):
    """The list failed; the message says what came back (never the token)."""


def list_documents(site_url: str, token: str, *, timeout: float = TIMEOUT_SECONDS) -> int:
    """GET the first page of documents as the smoke-test tenant; its document count on the
    page, or :class:`CanaryFailure` naming the status or the missing answer."""
    request = urllib.request.Request(
        site_url.rstrip("/") + DOCUMENTS_PATH,
        headers={"Accept": "application/json", "Authorization": f"Bearer {token}"},
    )
    try:
        with urllib.request.urlopen(
            request, timeout=timeout, context=ssl.create_default_context()
        ) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        raise CanaryFailure(f"{DOCUMENTS_PATH} answered {error.code}, expected 200") from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        raise CanaryFailure(f"{DOCUMENTS_PATH}: no answer ({error})") from None
    if status != 200:
        raise CanaryFailure(f"{DOCUMENTS_PATH} answered {status}, expected 200")
    try:
        page = json.loads(raw)
    except ValueError:
        page = None
    if not isinstance(page, dict) or not isinstance(page.get("results"), list):
        raise CanaryFailure(f"{DOCUMENTS_PATH}: the answer is not a page of documents")
    return len(page["results"])


def read_token(secret_id: str) -> str:
    """The smoke-test tenant's API token (Secrets Manager, this region's copy)."""
    import boto3  # in the Synthetics runtime; imported here so the tests need no AWS

    client = boto3.client("secretsmanager")
    return client.get_secret_value(SecretId=secret_id)["SecretString"].strip()


def handler(
    event: object = None,
    context: object = None,
    *,
    token_reader: Callable[[str], str] = read_token,
) -> str:
    """Synthetics entry point: raises (a failed run) unless the list answers."""
    count = list_documents(os.environ["SITE_URL"], token_reader(os.environ["TOKEN_SECRET"]))
    print(f"listed documents: {count} on the first page")
    return "listed"
