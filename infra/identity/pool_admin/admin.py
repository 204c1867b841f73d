"""The pool-admin function: the only holder of the user pools' Admin* permissions.

The API and worker tasks have no route to Cognito (no internet egress, and a user pool with a
domain accepts no request through AWS PrivateLink), so they invoke this function through the
Lambda interface endpoint; it runs outside the VPC and calls Cognito's FIPS endpoint of each
pool's region (docs/decisions/identity-member-invitations.md).

The event names the pool by role, never by id: ``home`` (this region's, ``HOME_POOL_ID``) or
``standby`` (the pool named ``POOL_NAME`` in ``STANDBY_REGION``, found once per container with
ListUserPools: it deploys after the primary, so its id cannot be in this function's
configuration). Only the operations in :data:`OPERATIONS` run; the answer is
``{"result": ...}`` or ``{"error": code}``, never a stack trace.
"""

from __future__ import annotations

import json
import os
from functools import cache

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

# In Lambda this folder is the code's root (the module is `admin`); the tests import the package.
if __package__:
    from .pool_operations import OPERATIONS
else:
    from pool_operations import OPERATIONS

POOLS = ("home", "standby")
_CONFIG = Config(connect_timeout=2, read_timeout=3, retries={"total_max_attempts": 1})


@cache
def _client(region: str) -> object:
    return boto3.client("cognito-idp", region_name=region, config=_CONFIG)


@cache
def _standby_pool_id(region: str, name: str) -> str:
    """The id of the pool called ``name`` in ``region`` (cached once found)."""
    for page in _client(region).get_paginator("list_user_pools").paginate(MaxResults=60):
        for pool in page["UserPools"]:
            if pool["Name"] == name:
                return pool["Id"]
    raise LookupError("StandbyPoolNotFound")


def _pool(pool: str) -> tuple[str, str]:
    """(region, pool id) of ``home`` or ``standby``."""
    if pool == "home":
        return os.environ["AWS_REGION"], os.environ["HOME_POOL_ID"]
    region = os.environ.get("STANDBY_REGION", "")
    if not region:
        raise LookupError("NoStandbyPool")
    return region, _standby_pool_id(region, os.environ["POOL_NAME"])


def _refusal(event: object) -> str | None:
    if not isinstance(event, dict):
        return "InvalidEvent"
    if event.get("pool") not in POOLS:
        return "InvalidPool"
    if event.get("operation") not in OPERATIONS:
        return "InvalidOperation"
    arguments = event.get("arguments")
    if not isinstance(arguments, dict) or "UserPoolId" in arguments:
        return "InvalidArguments"
    return None


def handler(event: object, _context: object) -> dict:
    """Run one admin operation on one of the two pools."""
    refused = _refusal(event)
    if refused:
        return {"error": refused}
    assert isinstance(event, dict)
    operation = event["operation"]
    try:
        region, pool_id = _pool(event["pool"])
        method = getattr(_client(region), _snake(operation))
        result = method(UserPoolId=pool_id, **event["arguments"])
    except LookupError as exc:
        return {"error": str(exc.args[0]) if exc.args else "LookupError"}
    except ClientError as exc:
        return {"error": exc.response["Error"]["Code"]}
    except (BotoCoreError, TypeError):
        return {"error": "Unreachable"}
    result.pop("ResponseMetadata", None)
    return {"result": json.loads(json.dumps(result, default=str))}


def _snake(operation: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in operation).lstrip("_")
