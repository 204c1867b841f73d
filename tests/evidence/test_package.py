"""The evidence package of prod: what an assessor reads, checked against the templates."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from evidence import release_path
from evidence.assembly import read_assembly
from evidence.catalog import moderate
from evidence.diagrams import PLACEHOLDER_PEER
from evidence.package import write_package
from evidence.ports import rules
from evidence.provenance import of_repository
from tests.evidence.conftest import ROOT, read_csv


def test_observations_record_passes_as_well_as_failures(package_dir: Path):
    rows = read_csv(package_dir / "observations.csv")
    results = Counter(row["result"] for row in rows)
    assert results["pass"] > results["fail"] + results["acknowledged"]
    nist_passes = [r for r in rows if r["result"] == "pass" and r["check"].startswith("NIST")]
    assert nist_passes and all(r["controls"] for r in nist_passes)
    assert {r["source"] for r in rows} == {"cdk-nag NIST.800.53.R5", "cdk-nag AwsSolutions", "pcs"}


def test_each_observation_names_the_template_it_read_and_the_commit(package_dir: Path, prod):
    assembly = read_assembly(prod.outdir)
    commit = of_repository(ROOT).commit
    for row in read_csv(package_dir / "observations.csv"):
        if row["stack"] != release_path.STACK:  # those hash the policy or workflow they read
            assert row["template_sha256"] == assembly.stacks[row["stack"]].sha256
        assert row["commit"] == commit


def test_acknowledged_findings_carry_the_reason_written_beside_the_resource(package_dir: Path):
    acknowledged = [
        r for r in read_csv(package_dir / "observations.csv") if r["result"] == "acknowledged"
    ]
    assert acknowledged
    assert all(len(r["reason"]) >= 20 for r in acknowledged)


def test_coverage_is_counted_from_the_observations(package_dir: Path, package):
    checked = {
        control
        for row in read_csv(package_dir / "observations.csv")
        for control in row["controls"].split()
    }
    coverage = read_csv(package_dir / "coverage.csv")
    assert sum(int(r["controls with an automated check"]) for r in coverage) == len(checked)
    assert sum(int(r["controls in baseline"]) for r in coverage) == len(moderate()) == 323
    assert package[1].coverage.checked == len(checked)


def test_every_resource_is_an_asset_or_listed_with_why_it_is_not(package_dir: Path, prod):
    assembly = read_assembly(prod.outdir)
    everything = {f"{stack.name}/{logical_id}" for stack, logical_id, _ in assembly.resources()}
    assets = [r["UNIQUE ASSET IDENTIFIER"] for r in read_csv(package_dir / "inventory.csv")]
    others = read_csv(package_dir / "not-assets.csv")
    assert sorted(assets + [r["resource"] for r in others]) == sorted(everything)
    assert all(r["why it is not an asset"] for r in others)


def test_every_security_group_rule_is_in_the_ports_table_and_on_a_diagram_edge(package_dir, prod):
    found = rules(read_assembly(prod.outdir))
    table = read_csv(package_dir / "ports-protocols-services.csv")
    assert len([r for r in table if r["direction"] != "listener"]) == len(found)
    for rule in found:
        assert any(r["defined in"] == rule.defined_in and r["ports"] == rule.ports for r in table)
    edges = set(
        re.findall(
            r'(\w+) -> (\w+) \[label="([^"]*)"',
            (package_dir / "diagrams" / "data-flow.dot").read_text(),
        )
    )
    for rule in found:
        if rule.peer == PLACEHOLDER_PEER:
            continue
        group, peer = _node(rule.group), _node(rule.peer)
        source, target = (peer, group) if rule.direction == "ingress" else (group, peer)
        label = f"{rule.protocol} {rule.ports}\\n{rule.transport}"
        assert (source, target, label) in edges, rule


def _node(name: str) -> str:
    return "n_" + re.sub(r"[^0-9A-Za-z]", "_", name)


def test_the_diagrams_are_drawn_as_svg_and_png(package_dir: Path):
    for stem in ("boundary", "data-flow"):
        assert (package_dir / "diagrams" / f"{stem}.svg").read_text().lstrip().startswith("<?xml")
        assert (package_dir / "diagrams" / f"{stem}.png").read_bytes()[:4] == b"\x89PNG"


def test_every_oscal_document_validates_with_trestle(package_dir: Path):
    trestle = Path(sys.executable).with_name("trestle")
    done = subprocess.run(
        [str(trestle), "validate", "-a"],
        cwd=package_dir / "oscal",
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    # catalog, profile, component definition, SSP, assessment plan, AR, POA&M
    assert done.stdout.count("VALID:") == 7


def _json(package_dir: Path, folder: str, name: str) -> dict:
    return json.loads((package_dir / "oscal" / folder / "pcs" / f"{name}.json").read_text())[name]


def test_the_ssp_has_every_requirement_and_what_needs_a_person_is_a_dated_gap(package_dir: Path):
    ssp = _json(package_dir, "system-security-plans", "system-security-plan")
    requirements = ssp["control-implementation"]["implemented-requirements"]
    assert len(requirements) == 323
    fedramp = "https://fedramp.gov/ns/oscal"
    planned = [
        r
        for r in requirements
        if {"name": "implementation-status", "ns": fedramp, "value": "planned",
            "remarks": r["remarks"]} in r["props"]
    ]  # fmt: skip
    assert planned
    for requirement in planned:
        names = [p["name"] for p in requirement["props"]]
        assert "planned-completion-date" in names, requirement["control-id"]
        assert "needs a person" in requirement["remarks"]
    # Gaps of the SSP are not weaknesses: the POA&M holds failing checks and deviations only.
    poam = _json(package_dir, "plan-of-action-and-milestones", "plan-of-action-and-milestones")
    assert not [i for i in poam["poam-items"] if "needs" in i["title"]]


def test_observations_are_examinations_by_named_tools_of_inventory_items(package_dir: Path):
    results = _json(package_dir, "assessment-results", "assessment-results")
    result = results["results"][0]
    tools = {c["uuid"]: c for c in result["local-definitions"]["components"]}
    assert {t["title"] for t in tools.values()} == {
        "cdk-nag NIST 800-53 Rev 5 pack",
        "cdk-nag AwsSolutions pack",
        "PCS Platform evidence rules",
    }
    assert all(
        any(p["name"] == "version" and p["value"] for p in t["props"]) for t in tools.values()
    )
    ssp = _json(package_dir, "system-security-plans", "system-security-plan")
    inventory = {i["uuid"] for i in ssp["system-implementation"]["inventory-items"]}
    subjects = set()
    for observation in result["observations"]:
        assert observation["methods"] == ["EXAMINE"]
        assert observation["origins"][0]["actors"][0]["actor-uuid"] in tools
        assert observation["relevant-evidence"][0]["description"].startswith("Properties")
        subjects |= {s["subject-uuid"] for s in observation["subjects"]
                     if s["type"] == "inventory-item"}  # fmt: skip
    assert subjects and subjects <= inventory
    assert results["import-ap"]["href"] == "trestle://assessment-plans/pcs/assessment-plan.json"


def test_each_poam_item_has_an_id_a_dated_risk_with_a_milestone_and_its_observations(package_dir):
    poam = _json(package_dir, "plan-of-action-and-milestones", "plan-of-action-and-milestones")
    risks = {r["uuid"]: r for r in poam["risks"]}
    observations = {o["uuid"] for o in poam["observations"]}
    ids = []
    for item in poam["poam-items"]:
        ids += [p["value"] for p in item["props"] if p["name"] == "POAM-ID"]
        risk = risks[item["related-risks"][0]["risk-uuid"]]
        assert risk["deadline"]
        assert risk["characterizations"][0]["facets"][0]["value"] in ("moderate", "low")
        assert risk["remediations"][0]["tasks"][0]["type"] == "milestone"
        assert item["remarks"].startswith("Weakness source: ")
        if not item["title"].startswith("AC-7"):
            linked = {o["observation-uuid"] for o in item["related-observations"]}
            assert linked and linked <= observations
    assert ids == [f"PCS-{n:04d}" for n in range(1, len(ids) + 1)]


def test_an_unencrypted_bucket_fails_its_observation_and_opens_a_poam_item(assembly_copy, tmp_path):
    template_path = assembly_copy / "pcs-prod-data.template.json"
    template = json.loads(template_path.read_text())
    bucket = next(
        logical_id
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == "AWS::S3::Bucket" and "Documents" in logical_id
    )
    del template["Resources"][bucket]["Properties"]["BucketEncryption"]
    template_path.write_text(json.dumps(template))

    out = tmp_path / "evidence"
    write_package(assembly_copy, out, of_repository(ROOT))
    rows = [r for r in read_csv(out / "observations.csv") if r["logical_id"] == bucket]
    failing = {r["check"] for r in rows if r["result"] == "fail"}
    assert "NIST.800.53.R5-S3DefaultEncryptionKMS" in failing
    poam = json.loads(
        (
            out / "oscal/plan-of-action-and-milestones/pcs/plan-of-action-and-milestones.json"
        ).read_text()
    )
    titles = [i["title"] for i in poam["plan-of-action-and-milestones"]["poam-items"]]
    assert "NIST.800.53.R5-S3DefaultEncryptionKMS fails in pcs-prod-data" in titles
    # The SSP's SC-28 value is read from the templates: one bucket fewer is encrypted.
    ssp = json.loads(
        (out / "oscal/system-security-plans/pcs/system-security-plan.json").read_text()
    )["system-security-plan"]
    sc28 = next(
        r
        for r in ssp["control-implementation"]["implemented-requirements"]
        if r["control-id"] == "sc-28"
    )
    at_rest = next(p for p in sc28["set-parameters"] if p["param-id"] == "sc-28_odp.02")
    total = sum(
        1
        for _s, _l, resource in read_assembly(assembly_copy).resources()
        if resource["Type"] == "AWS::S3::Bucket"
    )
    assert f"S3 buckets: {total - 1} of {total}" in at_rest["values"][0]


def test_two_runs_on_one_commit_write_identical_bytes(package_dir: Path, prod, tmp_path: Path):
    again = tmp_path / "again"
    write_package(prod.outdir, again, of_repository(ROOT))
    first = sorted(p.relative_to(package_dir) for p in package_dir.rglob("*") if p.is_file())
    second = sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    assert first == second
    for relative in first:
        assert (package_dir / relative).read_bytes() == (again / relative).read_bytes(), relative


def test_each_cryptographic_module_names_the_resources_that_rely_on_it(package_dir: Path, prod):
    rows = read_csv(package_dir / "cryptographic-modules.csv")
    assert all(row["where used"] for row in rows), [
        r["service"] for r in rows if not r["where used"]
    ]
    keys = {
        f"{stack.name}/{logical_id}"
        for stack, logical_id, resource in read_assembly(prod.outdir).resources()
        if resource["Type"] == "AWS::KMS::Key"
    }
    kms = next(row for row in rows if row["service"] == "AWS KMS")
    assert set(kms["where used"].split()) == keys
    assert kms["FIPS 140 certificate"] == "FIPS 140-3 level 3, #4884"


def test_tls_per_port_is_read_from_the_templates(package_dir: Path):
    table = read_csv(package_dir / "ports-protocols-services.csv")
    to_tasks = [r for r in table if r["ports"] == "8000"]
    assert to_tasks and {r["transport security"] for r in to_tasks} == {"TLS (HTTPS target group)"}
    database = {r["transport security"] for r in table if r["ports"] == "5432"}
    assert "TLS required by the server (rds.force_ssl=1)" in database
    # 443 into a load balancer is its region's HTTPS listener's policy (the entry passes TLS
    # through to the ALB's); 443 elsewhere is HTTPS to AWS APIs.
    https = {(r["group purpose"].split(":")[0], r["transport security"])
             for r in table if r["ports"] == "443" and r["direction"] == "ingress"
             and "HTTPS from CloudFront only" in r["group purpose"]}  # fmt: skip
    listener = "TLS 1.2+ (listener, ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04)"
    assert https == {("pcs-prod ALB", listener), ("pcs-prod Origin entry (NLB)", listener)}
    to_apis = {r["transport security"] for r in table
               if r["ports"] == "443" and "interface endpoints" in r["peer"]}  # fmt: skip
    assert to_apis == {"TLS 1.2+ (HTTPS to AWS APIs)"}


def test_scan_fields_say_what_scans_each_asset_and_the_platform_is_read(package_dir: Path):
    rows = read_csv(package_dir / "inventory.csv")
    functions = [r for r in rows if r["Asset Type"] == "Function"]
    assert functions and {r["In Latest Scan"] for r in functions} == {"No"}
    registries = [r for r in rows if r["Asset Type"] == "Container registry"]
    assert {r["In Latest Scan"] for r in registries} == {"Yes (ECR scan on push)"}
    assert {r["Authenticated Scan"] for r in rows} == {"No"}
    tasks = [r for r in rows if r["Asset Type"] == "Container task"]
    assert {r["OS Name and Version"] for r in tasks} == {"RuntimePlatform=ARM64/LINUX"}


def test_the_boundary_draws_each_region_with_its_vpc_and_the_global_edge_inside(package_dir):
    dot = (package_dir / "diagrams" / "boundary.dot").read_text()
    assert 'label="AWS us-east-1"' in dot and 'label="AWS us-west-2"' in dot
    assert 'label="VPC 10.0.0.0/16"' in dot and 'label="VPC 10.1.0.0/16"' in dot
    edge = dot.index('label="Global edge"')
    assert dot.index("cluster_boundary") < edge
    assert "n_cloudfront -> " in dot and "failover PRIMARY" in dot
