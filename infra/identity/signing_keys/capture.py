"""CloudFormation custom resource: the user pool's JSON Web Key Set, read at each deploy.

The API verifies access tokens with these keys but has no route to Cognito (its tasks reach only
VPC endpoints, and PrivateLink does not serve a user pool with a domain); a user pool's signing
keys do not rotate, so the set read here is the one its tokens are signed with. Standard library
only: the function answers CloudFormation's pre-signed response URL itself.
"""

from __future__ import annotations

import json
import urllib.request

ISSUER_PREFIX = "https://cognito-idp."
TIMEOUT_SECONDS = 10


def key_set(url: str) -> str:
    """The key set at ``url`` (a Cognito issuer's), compact JSON; refuses one without keys."""
    if not url.startswith(ISSUER_PREFIX) or not url.endswith("/.well-known/jwks.json"):
        raise ValueError(f"not a Cognito user pool key set: {url}")
    with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
        document = json.load(response)
    if not document.get("keys"):
        raise ValueError("the key set has no keys")
    return json.dumps(document, separators=(",", ":"), sort_keys=True)


def merged_key_set(urls: list[str]) -> str:
    """The keys of every key set at ``urls`` in one set (a key id once), compact JSON."""
    keys = {}
    for url in urls:
        for key in json.loads(key_set(url))["keys"]:
            keys.setdefault(key["kid"], key)
    return json.dumps({"keys": list(keys.values())}, separators=(",", ":"), sort_keys=True)


def handler(event: dict, context: object) -> None:
    """Create/Update: answer with ``Jwks`` (``JwksUrl``'s keys, and those of
    ``AlsoAcceptedJwksUrls``); Delete: nothing to remove."""
    properties = event["ResourceProperties"]
    url = properties["JwksUrl"]
    also = properties.get("AlsoAcceptedJwksUrls", [])
    response = {
        "Status": "SUCCESS",
        "PhysicalResourceId": url,
        "StackId": event["StackId"],
        "RequestId": event["RequestId"],
        "LogicalResourceId": event["LogicalResourceId"],
        "Data": {},
    }
    try:
        if event["RequestType"] != "Delete":
            response["Data"] = {"Jwks": merged_key_set([url, *also]) if also else key_set(url)}
    except Exception as error:  # every failure must reach CloudFormation, or it waits an hour
        print(f"key set capture failed: {error!r}")
        response.update(Status="FAILED", Reason=f"{type(error).__name__}: {error}"[:400])
    answer = urllib.request.Request(
        event["ResponseURL"],
        data=json.dumps(response).encode(),
        method="PUT",
        headers={"Content-Type": ""},
    )
    with urllib.request.urlopen(answer, timeout=TIMEOUT_SECONDS):
        pass
