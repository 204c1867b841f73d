"""The SSP's per-part statements and parameter values: generated from the templates and the
decision records, read here from the prod synth (not from the configuration that wrote it)."""

from __future__ import annotations

import json
from pathlib import Path

from evidence.assembly import read_assembly
from evidence.catalog import statement_parts
from evidence.package import write_package
from evidence.provenance import of_repository
from tests.evidence.conftest import ROOT


def _requirements(package_dir: Path) -> dict[str, dict]:
    path = package_dir / "oscal/system-security-plans/pcs/system-security-plan.json"
    ssp = json.loads(path.read_text())["system-security-plan"]
    return {r["control-id"]: r for r in ssp["control-implementation"]["implemented-requirements"]}


def _values(requirement: dict, param: str) -> str:
    found = next(p for p in requirement["set-parameters"] if p["param-id"] == param)
    return " ".join(found["values"]) + " " + found.get("remarks", "")


def _resources(prod, resource_type: str) -> list[dict]:
    return [
        resource.get("Properties", {})
        for _stack, _lid, resource in read_assembly(prod.outdir).resources()
        if resource["Type"] == resource_type
    ]


def test_every_part_of_every_control_has_statement_text(package_dir: Path):
    requirements = _requirements(package_dir)
    assert len(requirements) == 323
    without = []
    for control, requirement in requirements.items():
        statements = {s["statement-id"]: s for s in requirement["statements"]}
        assert list(statements) == [p.id for p in statement_parts()[control]], control
        for part, statement in statements.items():
            text = " ".join(b["description"] for b in statement["by-components"])
            if len(text) < 60:
                without.append(part)
    assert without == []
    ac7 = {s["statement-id"] for s in requirements["ac-7"]["statements"]}
    assert ac7 == {"ac-7_smt.a", "ac-7_smt.b"}


def test_a_part_says_the_deployed_value_of_the_parameter_it_inserts(package_dir: Path, prod):
    requirements = _requirements(package_dir)
    pools = [p for p in _resources(prod, "AWS::Cognito::UserPool") if "Policies" in p]
    length = pools[0]["Policies"]["PasswordPolicy"]["MinimumLength"]
    parts = {s["statement-id"]: s for s in requirements["ia-5.1"]["statements"]}
    composition = parts["ia-5.1_smt.h"]["by-components"][0]["description"]
    assert f"at least {length} characters (the user pool's password policy)" in composition
    # Part (c), transmission, inserts no parameter: no deployed value is claimed for it.
    assert "As deployed" not in parts["ia-5.1_smt.c"]["by-components"][0]["description"]
    # Implemented controls say how, in the mechanism's words, not a tally of rule ids.
    sc8 = requirements["sc-8"]["statements"][0]["by-components"][0]["description"]
    assert "Aurora refuses connections without TLS (rds.force_ssl)" in sc8
    assert "check(s) pass" not in sc8
    # Each service's part is seeded from the docstring of the infra module that builds it.
    identity = " ".join(b["description"] for b in requirements["ia-5.1"]["by-components"])
    assert "Who may sign in: the Cognito user pool, its web client" in identity


def test_parameters_the_templates_fix_are_read_from_the_prod_synth(package_dir: Path, prod):
    requirements = _requirements(package_dir)
    pools = [p for p in _resources(prod, "AWS::Cognito::UserPool") if "Policies" in p]
    assert {p["Policies"]["PasswordPolicy"]["MinimumLength"] for p in pools} == {15}
    assert "at least 15 characters" in _values(requirements["ia-5.1"], "ia-05.01_odp.02")
    assert "no composition rules" in _values(requirements["ia-5.1"], "ia-05.01_odp.02")
    assert "temporary passwords: 3 days" in _values(requirements["ia-5"], "ia-05_odp.01")
    clients = _resources(prod, "AWS::Cognito::UserPoolClient")
    assert {(c["AccessTokenValidity"], c["RefreshTokenValidity"]) for c in clients} == {(15, 720)}
    assert "after 15 minutes without a refresh, and 720 minutes after sign-in" in _values(
        requirements["ac-12"], "ac-12_odp"
    )
    assert "Object Lock (compliance mode) 913 days" in _values(requirements["au-11"], "au-11_odp")
    # AC-7: Cognito's fixed lockout, the figures of the decision's deviation.
    assert _values(requirements["ac-7"], "ac-07_odp.01").startswith("5 consecutive")
    assert "doubling to about 15 minutes" in _values(requirements["ac-7"], "ac-07_odp.04")
    schedules = {
        rule["ScheduleExpression"]
        for plan in _resources(prod, "AWS::Backup::BackupPlan")
        for rule in plan["BackupPlan"]["BackupPlanRule"]
    }
    for schedule in schedules:
        assert schedule in _values(requirements["cp-9"], "cp-09_odp.02")
    buckets = _resources(prod, "AWS::S3::Bucket")
    assert all("BucketEncryption" in b for b in buckets)
    at_rest = _values(requirements["sc-28"], "sc-28_odp.02")
    assert f"S3 buckets: {len(buckets)} of {len(buckets)}" in at_rest
    assert "Aurora clusters: 2 of 2; Valkey replication groups: 2 of 2; MSK clusters: 1 of 1" in (
        at_rest
    )
    assert "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04" in _values(
        requirements["sc-13"], "sc-13_odp.01"
    )


def test_a_shorter_password_policy_changes_the_ssp_value(assembly_copy, tmp_path):
    template_path = assembly_copy / "pcs-prod-identity.template.json"
    template = json.loads(template_path.read_text())
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::Cognito::UserPool":
            resource["Properties"]["Policies"]["PasswordPolicy"]["MinimumLength"] = 8
            resource["Properties"]["Policies"]["PasswordPolicy"]["RequireSymbols"] = True
    template_path.write_text(json.dumps(template))

    out = tmp_path / "evidence"
    write_package(assembly_copy, out, of_repository(ROOT))
    value = _values(_requirements(out)["ia-5.1"], "ia-05.01_odp.02")
    assert "at least 8 characters (the user pool's password policy), required symbols" in value


def test_each_fips_certificate_is_a_validation_component(package_dir: Path):
    path = package_dir / "oscal/system-security-plans/pcs/system-security-plan.json"
    ssp = json.loads(path.read_text())["system-security-plan"]
    validations = {
        next(p["value"] for p in c["props"] if p["name"] == "validation-reference"): c
        for c in ssp["system-implementation"]["components"]
        if c["type"] == "validation"
    }
    assert sorted(validations) == ["4816", "4884"]
    kms = validations["4884"]
    assert kms["links"] == [
        {
            "href": "https://csrc.nist.gov/projects/cryptographic-module-validation-program/"
            "certificate/4884",
            "rel": "validation-details",
        }
    ]
    assert kms["title"] == "AWS KMS HSM (FIPS 140-3, certificate #4884)"
