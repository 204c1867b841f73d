"""Structured JSON logging with secrets redacted, for CloudWatch Logs."""

from __future__ import annotations

import json
import logging
import os
import re
from datetime import UTC, datetime

from pcs.env import secret_variable_names
from pcs.request_id import request_id_var

REDACTED = "[REDACTED]"

_PATTERNS = (
    # credentials inside URLs: scheme://user:password@host
    (
        re.compile(r"(?P<pre>[a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@\s]+(?=@)", re.I),
        r"\g<pre>" + REDACTED,
    ),
    (re.compile(r"(?P<pre>\bBearer\s+)[A-Za-z0-9._~+/=-]+", re.I), r"\g<pre>" + REDACTED),
    # a bare API token (tenancy.services.TOKEN_PREFIX + 43 url-safe characters)
    (re.compile(r"\b(?P<pre>pcs_)[A-Za-z0-9_-]{30,}"), r"\g<pre>" + REDACTED),
    # a bare JWT (header.payload.signature, each base64url JSON starting with "{")
    (re.compile(r"\beyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), REDACTED),
    (
        re.compile(r"(?P<pre>\b(?:password|passwd|secret|token|auth_token)\b\s*[=:]\s*)\S+", re.I),
        r"\g<pre>" + REDACTED,
    ),
)


def redact(text: str) -> str:
    """Remove secret values and credential-shaped substrings from a log line."""
    for name in secret_variable_names():
        value = os.environ.get(name, "")
        if len(value) >= 6:
            text = text.replace(value, REDACTED)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RequestIdFilter(logging.Filter):
    """Attach the current request (or task) id to the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep every record, with `request_id` set."""
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line; gunicorn access records become structured fields."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one redacted JSON line."""
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", request_id_var.get()),
        }
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            atoms = record.args
            entry.update(
                message="request",
                method=atoms.get("m"),
                path=atoms.get("U"),
                status=atoms.get("s"),
                bytes=atoms.get("B"),
                duration_ms=round(int(atoms.get("D", 0)) / 1000, 3),
                remote=atoms.get("h"),
                user_agent=atoms.get("a"),
                request_id=atoms.get("{x-request-id}o") or entry["request_id"],
            )
        else:
            entry["message"] = record.getMessage()
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return redact(json.dumps(entry, default=str))
