"""Scanner findings kept by the content of what was scanned, so an unchanged template is not
scanned again.

A scanner's verdict on a template depends only on the template's bytes, the scanner's version and
its configuration (the region for cfn-lint; the custom checks for checkov), so those make the key:
a changed template, a new scanner version or an edited custom check is a miss and is scanned in
full. ``make synth`` keeps the cache in ``.gate-cache/`` (git-ignored); deleting it costs one slow
run, never a wrong verdict (docs/decisions/gate-findings-cache.md).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

CACHE_DIR_VARIABLE = "PCS_GATE_CACHE"
DEFAULT_CACHE_DIR = Path(__file__).resolve().parents[2] / ".gate-cache"


def cache_dir() -> Path | None:
    """Where findings are kept: ``$PCS_GATE_CACHE`` (empty: no cache), else the default."""
    configured = os.environ.get(CACHE_DIR_VARIABLE)
    if configured is None:
        return DEFAULT_CACHE_DIR
    return Path(configured) if configured else None


def digest(*parts: bytes | str) -> str:
    """One SHA-256 over every part, each length-prefixed so that no two splits collide."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


def tree_digest(root: Path) -> str:
    """A digest of every file under ``root`` (its relative path and bytes)."""
    files = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return digest(*(part for p in files for part in (str(p.relative_to(root)), p.read_bytes())))


class FindingsCache:
    """JSON findings of one scanner under ``directory/<scanner>/<key>.json``."""

    def __init__(self, scanner: str, directory: Path | None) -> None:
        self._directory = directory / scanner if directory else None

    def get(self, key: str) -> list | None:
        """The findings stored under ``key``, or None on a miss (or with the cache off)."""
        if self._directory is None:
            return None
        try:
            return json.loads((self._directory / f"{key}.json").read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            return None

    def put(self, key: str, findings: list) -> None:
        """Store ``findings`` under ``key``; written whole (rename), so a reader never sees half."""
        if self._directory is None:
            return
        self._directory.mkdir(parents=True, exist_ok=True)
        partial = self._directory / f"{key}.{os.getpid()}.tmp"
        partial.write_text(json.dumps(findings))
        partial.replace(self._directory / f"{key}.json")
