"""The evidence package of the session's prod synth, written once and read by every test."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from evidence.package import Summary, write_package
from evidence.provenance import of_repository

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def package(prod, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Summary]:
    out = tmp_path_factory.mktemp("evidence")
    return out, write_package(prod.outdir, out, of_repository(ROOT))


@pytest.fixture(scope="session")
def package_dir(package) -> Path:
    return package[0]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def assembly_copy(prod, tmp_path: Path) -> Path:
    """A copy of the prod cloud assembly that a test may alter."""
    copy = tmp_path / "cdk.out"
    shutil.copytree(prod.outdir, copy, ignore=shutil.ignore_patterns("asset.*"))
    return copy
