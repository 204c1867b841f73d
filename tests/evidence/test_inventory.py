"""The inventory's scan and platform fields say what the templates say, asset by asset."""

from __future__ import annotations

import json
from pathlib import Path

from evidence import inventory
from evidence.assembly import read_assembly
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


def test_each_health_check_says_the_alarm_it_reads(package_dir: Path):
    checks = {
        r["UNIQUE ASSET IDENTIFIER"]: r["Function"]
        for r in _rows(package_dir)
        if r["Asset Type"] == "Health check"
    }
    assert checks == {
        "pcs-prod-edge/HealthCheck": "Route 53 health check: reads alarm "
        "HealthCheckAlarm6348E0E9 in us-east-1",
        "pcs-prod-origin/OriginRecordSwitch": "Route 53 health check: reads alarm "
        "pcs-prod-primary-serves in us-west-2",
    }


def test_a_load_balancer_is_public_as_its_scheme_says(package_dir: Path, assembly_copy: Path):
    albs = {
        r["UNIQUE ASSET IDENTIFIER"]: r["Public"]
        for r in _rows(package_dir)
        if r["Asset Type"] == "Load balancer"
    }
    assert albs == {
        "pcs-prod-origin/ApiAlb37BD42AF": "Yes",
        "pcs-prod-dr-origin/ApiAlb37BD42AF": "Yes",
    }
    path = assembly_copy / "pcs-prod-origin.template.json"
    template = json.loads(path.read_text())
    template["Resources"]["ApiAlb37BD42AF"]["Properties"]["Scheme"] = "internal"
    path.write_text(json.dumps(template))
    public = {row[0]: row[3] for row in inventory.rows(read_assembly(assembly_copy))[0]}
    assert public["pcs-prod-origin/ApiAlb37BD42AF"] == "No"
    assert public["pcs-prod-dr-origin/ApiAlb37BD42AF"] == "Yes"
