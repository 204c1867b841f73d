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

# (pattern, replacement, literals): a pattern can only match a line holding one of its literals,
# and testing for those first makes the usual line cost a few substring tests instead of a
# regex scan per pattern (each access line is redacted). Literals of case-insensitive patterns
# are tested against the casefolded line, which folds what re.IGNORECASE equates (e.g. U+017F
# with "s"). The PII rules (e-mail addresses, SSN-shaped numbers) are in docs/service.md.
_PATTERNS = (
    # credentials inside URLs: scheme://user:password@host
    (
        re.compile(r"(?P<pre>[a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@\s]+(?=@)", re.I),
        r"\g<pre>" + REDACTED,
        ("://",),
    ),
    (
        re.compile(r"(?P<pre>\bBearer\s+)[A-Za-z0-9._~+/=-]+", re.I),
        r"\g<pre>" + REDACTED,
        ("bearer",),
    ),
    # a bare API token (tenancy.services.TOKEN_PREFIX + 43 url-safe characters)
    (re.compile(r"\b(?P<pre>pcs_)[A-Za-z0-9_-]{30,}"), r"\g<pre>" + REDACTED, ("pcs_",)),
    # a bare JWT (header.payload.signature, each base64url JSON starting with "{")
    (re.compile(r"\beyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), REDACTED, ("eyJ",)),
    # key=value, key: value, and the quoted forms of JSON and Python reprs ("key": "value"):
    # a quoted value loses what is between its quotes, an unquoted one up to the next space.
    (
        re.compile(
            r"(?P<pre>\b(?:password|passwd|secret|token|auth_token)\b[\"']?\s*[=:]\s*)"
            r"(?:(?P<quote>[\"'])(?:\\.|(?!(?P=quote)).)*(?P=quote)|\S+)",
            re.I | re.S,
        ),
        lambda match: f"{match['pre']}{match['quote'] or ''}{REDACTED}{match['quote'] or ''}",
        ("passw", "secret", "token"),
    ),
    # PII: e-mail addresses and SSN-shaped numbers (ddd-dd-dddd)
    (
        re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),
        REDACTED,
        ("@",),
    ),
    (re.compile(r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])"), REDACTED, ("-",)),
)


_IGNORECASE = int(re.IGNORECASE)  # a plain int: enum flag arithmetic costs more than the test

_secret_names: tuple[tuple[bytes, ...], list[str]] = ((), [])


def _secret_variables() -> list[str]:
    """secret_variable_names(), scanned again only when the set of variable names changed.

    Every log line is redacted (an access line per request), and decoding and testing every
    variable's name costs more than the rest of the line. `os.environ._data` holds the encoded
    names: comparing them is a fraction of that. The values are read on every call.
    """
    global _secret_names
    names = tuple(os.environ._data)
    if _secret_names[0] != names:
        _secret_names = (names, secret_variable_names())
    return _secret_names[1]


def redact(text: str) -> str:
    """Remove secret values and credential-shaped substrings from a log line."""
    for name in _secret_variables():
        value = os.environ.get(name, "")
        if len(value) >= 6:
            text = text.replace(value, REDACTED)
    folded = text.casefold()
    for pattern, replacement, literals in _PATTERNS:
        haystack = folded if pattern.flags & _IGNORECASE else text
        if any(literal in haystack for literal in literals):
            text = pattern.sub(replacement, text)
    return text


def _redact_fields(entry: dict[str, object]) -> None:
    """Redact each text field in place, before serialization: a redaction never cuts into the
    JSON syntax around it, so every line stays one parseable object.

    The fields are first redacted together, as one text: a field that needs redacting changes
    that text too, and the usual line (nothing to redact) costs one pass instead of one per
    field (each access line has eight).
    """
    fields = [name for name, value in entry.items() if isinstance(value, str) and name != "time"]
    together = "\0".join(entry[name] for name in fields)  # type: ignore[misc]
    if redact(together) != together:
        for name in fields:
            entry[name] = redact(entry[name])  # type: ignore[arg-type]


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
        _redact_fields(entry)
        return json.dumps(entry, default=str)
