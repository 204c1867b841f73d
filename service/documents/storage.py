"""The documents bucket: pre-signed uploads that require SSE-KMS, and streaming reads."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config
from django.conf import settings

CHUNK_BYTES = 1024 * 1024


@functools.cache
def s3_client() -> Any:
    """A regional SigV4 client with bounded timeouts and standard retries."""
    return boto3.client(
        "s3",
        region_name=settings.AWS_REGION,
        config=Config(
            signature_version="s3v4",
            connect_timeout=3,
            read_timeout=20,
            retries={"mode": "standard", "max_attempts": 3},
        ),
    )


@dataclass(frozen=True)
class UploadForm:
    """A browser/CLI-usable pre-signed POST."""

    url: str
    fields: dict[str, str]
    expires_in: int


def upload_form_create(*, object_key: str, content_type: str) -> UploadForm:
    """A pre-signed POST whose policy only accepts SSE-KMS with our key, our type and size limit."""
    kms_key = settings.DOCUMENTS_KMS_KEY_ID
    fields = {
        "Content-Type": content_type,
        "x-amz-server-side-encryption": "aws:kms",
        "x-amz-server-side-encryption-aws-kms-key-id": kms_key,
    }
    conditions: list[Any] = [{name: value} for name, value in fields.items()]
    conditions.append(["content-length-range", 1, settings.DOCUMENTS_MAX_BYTES])
    post = s3_client().generate_presigned_post(
        Bucket=settings.DOCUMENTS_BUCKET,
        Key=object_key,
        Fields=fields,
        Conditions=conditions,
        ExpiresIn=settings.DOCUMENTS_UPLOAD_URL_SECONDS,
    )
    return UploadForm(post["url"], post["fields"], settings.DOCUMENTS_UPLOAD_URL_SECONDS)


def object_exists(*, object_key: str) -> bool:
    """True when the upload has landed."""
    client = s3_client()
    try:
        client.head_object(Bucket=settings.DOCUMENTS_BUCKET, Key=object_key)
    except client.exceptions.ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return False
        raise
    return True


class ObjectMissingError(Exception):
    """The document's object is not in the bucket (deleted, or never uploaded)."""


def object_chunks(*, object_key: str) -> Iterator[bytes]:
    """Stream the object in 1 MiB chunks (documents can be large; never load one whole)."""
    client = s3_client()
    try:
        body = client.get_object(Bucket=settings.DOCUMENTS_BUCKET, Key=object_key)["Body"]
    except client.exceptions.NoSuchKey as exc:
        raise ObjectMissingError(object_key) from exc
    try:
        yield from body.iter_chunks(CHUNK_BYTES)
    finally:
        body.close()
