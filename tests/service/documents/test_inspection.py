"""Sniffing what a document really is."""

from __future__ import annotations

import hashlib

import pytest

from documents.inspection import inspect_chunks, sniff_content_type


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"%PDF-1.4 ...", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
        (b"\xff\xd8\xff\xe0JFIF", "image/jpeg"),
        (b'  {"a": 1}', "application/json"),
        ("name,value\nÅ,1\n".encode(), "text/plain"),
        (b"MZ\x90\x00\x03\x00\x00\x00\xff\xfe", "application/octet-stream"),
    ],
)
def test_content_type_is_sniffed_from_the_first_bytes(head: bytes, expected: str) -> None:
    assert sniff_content_type(head) == expected


def test_text_cut_inside_a_multibyte_character_is_still_text() -> None:
    head = ("é" * 2048).encode()[:4095]
    assert sniff_content_type(head) == "text/plain"


def test_inspection_hashes_and_measures_the_whole_stream() -> None:
    chunks = [b"%PDF-", b"a" * 5000, b"b" * 7]
    result = inspect_chunks(chunks)
    assert result.size_bytes == 5012
    assert result.sha256 == hashlib.sha256(b"".join(chunks)).hexdigest()
    assert result.content_type == "application/pdf"
