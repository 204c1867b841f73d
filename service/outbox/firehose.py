"""The audit trail's durable copy: Kinesis Data Firehose into the Object Lock audit bucket.

The infrastructure's stream (`AUDIT_FIREHOSE_STREAM`) delivers to the audit bucket; the outbox
publisher puts each audit event on it as one JSON line. Every call has connect and read
timeouts and a bounded retry, so a slow Firehose cannot hold the publisher past its time limit.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

import boto3
from botocore.config import Config
from django.conf import settings

MAX_RECORDS_PER_CALL = 500
MAX_BYTES_PER_CALL = 4 * 1024 * 1024


class FirehoseClient(Protocol):
    """The part of boto3's Firehose client the publisher uses."""

    def put_record_batch(self, **kwargs: Any) -> dict[str, Any]:
        """Put up to 500 records; per-record results in `RequestResponses`."""


@functools.lru_cache(maxsize=1)
def firehose_client() -> FirehoseClient:
    """The process's Firehose client (task role credentials)."""
    config = Config(connect_timeout=3, read_timeout=10, retries={"max_attempts": 3})
    return boto3.client("firehose", region_name=settings.AWS_REGION, config=config)


def record_batches(lines: Sequence[bytes]) -> Iterator[range]:
    """Index ranges of `lines` that fit one PutRecordBatch call (500 records, 4 MiB)."""
    start, size = 0, 0
    for index, line in enumerate(lines):
        full = index - start == MAX_RECORDS_PER_CALL or size + len(line) > MAX_BYTES_PER_CALL
        if full and index > start:
            yield range(start, index)
            start, size = index, 0
        size += len(line)
    if start < len(lines):
        yield range(start, len(lines))
