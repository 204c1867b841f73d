"""The inventory's scan and platform fields say what the templates say, asset by asset."""

from __future__ import annotations

from pathlib import Path

from evidence.inventory import NOT_APPLICABLE
from tests.evidence.conftest import read_csv


def _rows(package_dir: Path) -> list[dict[str, str]]:
    return read_csv(package_dir / "inventory.csv")


def test_every_asset_states_its_platform_or_why_it_has_none(package_dir: Path):
    rows = _rows(package_dir)
    assert [r["UNIQUE ASSET IDENTIFIER"] for r in rows if not r["OS Name and Version"]] == []
    global_database = [r for r in rows if r["Asset Type"] == "Global database"]
    assert {r["OS Name and Version"] for r in global_database} == {NOT_APPLICABLE}


def test_each_function_names_its_runtime_and_architecture(package_dir: Path):
    functions = [r for r in _rows(package_dir) if r["Asset Type"] == "Function"]
    platforms = {r["OS Name and Version"] for r in functions}
    # CDK's own handlers set no architecture: Lambda runs them on its default, x86_64.
    assert platforms == {
        "Runtime=nodejs24.x; Architectures=x86_64 (Lambda's default)",
        "Runtime=python3.14; Architectures=arm64",
    }
    assert {r["In Latest Scan"] for r in functions} == {"No"}


def test_only_images_from_a_repository_that_scans_on_push_count_as_scanned(package_dir: Path):
    rows = _rows(package_dir)
    scanned = {
        r["UNIQUE ASSET IDENTIFIER"]
        for r in rows
        if r["In Latest Scan"] == "Yes (ECR scan on push)"
    }
    # The primary region's tasks and services use the delivery stack's repositories; the DR
    # region's pull the replicas ECR creates, whose scanning no template configures.
    assert {a.split("/")[0] for a in scanned} == {"pcs-prod-compute", "pcs-prod-delivery"}
    dr_tasks = [r for r in rows if r["UNIQUE ASSET IDENTIFIER"].startswith("pcs-prod-dr-compute/")
                and r["Asset Type"] in ("Container task", "Container service")]  # fmt: skip
    assert dr_tasks and {r["In Latest Scan"] for r in dr_tasks} == {"No"}
    # 2 repositories; the API, worker, Beat, web and migration task definitions; 4 services.
    assert len(scanned) == 11
