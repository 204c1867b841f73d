"""AWS clients of the DR commands: every call has a timeout, so a dead region fails fast.

A region that is down answers nothing: without these bounds botocore waits 60 s to connect and
60 s to read, and retries, for every call. Here a call gives up after ``CALL_LIMIT_SECONDS``.
"""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config

CONNECT_TIMEOUT_SECONDS = 5
READ_TIMEOUT_SECONDS = 20
CALL_ATTEMPTS = 3  # botocore's standard retry mode: the first try and two retries
# What one call can cost at most, backoff aside (standard mode sleeps under 20 s in all).
CALL_LIMIT_SECONDS = CALL_ATTEMPTS * (CONNECT_TIMEOUT_SECONDS + READ_TIMEOUT_SECONDS)

CLIENT_CONFIG = Config(
    connect_timeout=CONNECT_TIMEOUT_SECONDS,
    read_timeout=READ_TIMEOUT_SECONDS,
    retries={"total_max_attempts": CALL_ATTEMPTS, "mode": "standard"},
)


def boto3_client(service: str, region: str) -> Any:
    """A client of ``service`` in ``region`` with the commands' timeouts."""
    return boto3.client(service, region_name=region, config=CLIENT_CONFIG)
