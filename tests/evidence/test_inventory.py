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


ENTRY_FUNCTION = (
    "origin entry: passes the origin port's TCP connections to the load balancer behind it"
)
ALB_FUNCTION = "routes CloudFront's requests to the API and web tasks"


def test_a_load_balancer_is_public_as_its_scheme_says(package_dir: Path, assembly_copy: Path):
    balancers = {
        r["UNIQUE ASSET IDENTIFIER"]: (r["Public"], r["Function"])
        for r in _rows(package_dir)
        if r["Asset Type"] == "Load balancer"
    }
    assert balancers == {
        "pcs-prod-origin/EntryNlb2A1FDCB9": ("Yes", ENTRY_FUNCTION),
        "pcs-prod-origin/ApiAlb37BD42AF": ("No", ALB_FUNCTION),
        "pcs-prod-dr-origin/EntryNlb2A1FDCB9": ("Yes", ENTRY_FUNCTION),
        "pcs-prod-dr-origin/ApiAlb37BD42AF": ("No", ALB_FUNCTION),
    }
    path = assembly_copy / "pcs-prod-origin.template.json"
    template = json.loads(path.read_text())
    template["Resources"]["EntryNlb2A1FDCB9"]["Properties"]["Scheme"] = "internal"
    del template["Resources"]["ApiAlb37BD42AF"]["Properties"]["Scheme"]  # internet-facing
    path.write_text(json.dumps(template))
    public = {row[0]: row[3] for row in inventory.rows(read_assembly(assembly_copy))[0]}
    assert public["pcs-prod-origin/EntryNlb2A1FDCB9"] == "No"
    assert public["pcs-prod-origin/ApiAlb37BD42AF"] == "Yes"
    assert public["pcs-prod-dr-origin/EntryNlb2A1FDCB9"] == "Yes"
    assert public["pcs-prod-dr-origin/ApiAlb37BD42AF"] == "No"


def test_each_origins_private_zone_is_a_dns_asset_of_its_vpc(package_dir: Path, assembly_copy):
    zones = {
        r["UNIQUE ASSET IDENTIFIER"]: (r["Public"], r["Location"], r["Function"])
        for r in _rows(package_dir)
        if r["Asset Type"] == "DNS zone"
    }
    assert zones == {
        f"pcs-prod-{stack}/EntryInside55DF5604": (
            "No",
            f"AWS {region}",
            "Route 53 hosted zone origin.app.pcs.example.com. (private to the VPC in "
            f"{region}): A origin.app.pcs.example.com. -> alias of ApiAlb37BD42AF",
        )
        for stack, region in (("origin", "us-east-1"), ("dr-origin", "us-west-2"))
    }
    path = assembly_copy / "pcs-prod-origin.template.json"
    template = json.loads(path.read_text())
    del template["Resources"]["EntryInside55DF5604"]["Properties"]["VPCs"]
    path.write_text(json.dumps(template))
    row = next(
        r
        for r in inventory.rows(read_assembly(assembly_copy))[0]
        if r[0] == "pcs-prod-origin/EntryInside55DF5604"
    )
    assert (row[3], row[-1]) == (
        "Yes",
        "Route 53 hosted zone origin.app.pcs.example.com. (public): A "
        "origin.app.pcs.example.com. -> alias of ApiAlb37BD42AF",
    )


def test_the_entrys_configuration_is_listed_with_why_it_is_not_an_asset(package_dir: Path):
    others = {
        r["resource"]: (r["type"], r["why it is not an asset"])
        for r in read_csv(package_dir / "not-assets.csv")
        if r["resource"].startswith("pcs-prod-origin/Entry")
    }
    assert others == {
        "pcs-prod-origin/EntryNlbHttps1F27CD86": (
            "AWS::ElasticLoadBalancingV2::Listener",
            "a load balancer listener: see the ports table",
        ),
        "pcs-prod-origin/EntryNlbHttpsAlbGroup3739EF35": (
            "AWS::ElasticLoadBalancingV2::TargetGroup",
            "routing configuration of the load balancer",
        ),
        "pcs-prod-origin/EntryInsideAlb56FFD28D": (
            "AWS::Route53::RecordSet",
            "DNS record of an asset",
        ),
    }
