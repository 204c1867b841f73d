"""What the evidence was generated from: the commit and its date (so reruns are byte-identical)."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True)
class Provenance:
    commit: str
    committed_at: datetime


def of_repository(root: Path) -> Provenance:
    """HEAD's id and committer date; outside a git checkout, a named placeholder and the epoch."""
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%H %cI"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return Provenance("not-a-git-checkout", datetime.fromisoformat("1970-01-01T00:00:00+00:00"))
    return Provenance(out[0], datetime.fromisoformat(out[1]))
