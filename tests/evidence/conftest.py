"""The evidence package of the session's prod synth, written once and read by every test."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from evidence.observations import Observation
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


def read_observations(package_dir: Path) -> list[Observation]:
    """The package's observations, as :mod:`evidence.observations` made them."""
    return [
        Observation(
            check=row["check"],
            source=row["source"],
            title="",
            controls=tuple(row["controls"].split()),
            stack=row["stack"],
            logical_id=row["logical_id"],
            resource_type=row["resource_type"],
            result=row["result"],
            reason=row["reason"],
            property_path=row["property_path"],
            value=row["value"],
            template_sha256=row["template_sha256"],
        )
        for row in read_csv(package_dir / "observations.csv")
    ]


@pytest.fixture
def assembly_copy(prod, tmp_path: Path) -> Path:
    """A copy of the prod cloud assembly that a test may alter."""
    copy = tmp_path / "cdk.out"
    shutil.copytree(prod.outdir, copy, ignore=shutil.ignore_patterns("asset.*"))
    return copy
