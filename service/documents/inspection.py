"""What a document really is: SHA-256, size and content type sniffed from its first bytes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


@dataclass(frozen=True)
class Inspection:
    """The facts recorded for a processed document."""

    sha256: str
    size_bytes: int
    content_type: str


def sniff_content_type(head: bytes) -> str:
    """Content type from magic numbers; text types from decodable UTF-8."""
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    stripped = head.lstrip()
    try:
        text = stripped.decode("utf-8")
    except UnicodeDecodeError:
        # The sample may end inside a multi-byte character; retry without its last bytes.
        try:
            text = stripped[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return "application/octet-stream"
    if text[:1] in ("{", "["):
        return "application/json"
    return "text/plain"


def inspect_chunks(chunks: Iterable[bytes]) -> Inspection:
    """Hash and measure a stream; sniff its type from the first 4 KiB."""
    digest = hashlib.sha256()
    size = 0
    head = b""
    for chunk in chunks:
        if len(head) < 4096:
            head += chunk[: 4096 - len(head)]
        digest.update(chunk)
        size += len(chunk)
    return Inspection(digest.hexdigest(), size, sniff_content_type(head))
