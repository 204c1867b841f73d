"""The release path's CM-5, AC-5 and AC-6 observations, and that each fails when the wildcard,
the deny or the gate it watches is taken away (one mutation per check)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml

from evidence import release_path
from infra.delivery import bootstrap
from tests.evidence.conftest import read_csv

ACCOUNT = "111111111111"


def _results(**documents) -> dict[tuple[str, str], tuple[str, list]]:
    return {
        (o.check, o.logical_id): (o.result, json.loads(o.value))
        for o in release_path.observations(ACCOUNT, **documents)
    }


def test_the_repositorys_release_path_passes_every_check():
    assert _results() == {
        ("PCS-AC6-ReleasePolicyByResource", "pcs-cdk-execution"): ("pass", []),
        ("PCS-AC5-ReleaseGuardrails", "pcs-cdk-execution"): ("pass", []),
        ("PCS-AC6-ReleasePolicyByResource", "pcs-permissions-boundary"): ("pass", []),
        ("PCS-AC5-ReleaseGuardrails", "pcs-permissions-boundary"): ("pass", []),
        ("PCS-CM5-ReleaseGate", "deploy.yml"): ("pass", []),
    }


def _with_allow(document: dict, action: str, resource: str = "*") -> dict:
    changed = copy.deepcopy(document)
    changed["Statement"].append(
        {"Sid": "Mutation", "Effect": "Allow", "Action": [action], "Resource": resource}
    )
    return changed


EXECUTION = bootstrap.execution_policy(account=ACCOUNT)
BOUNDARY = bootstrap.permissions_boundary(account=ACCOUNT)


@pytest.mark.parametrize(
    ("documents", "subject", "found"),
    [
        ({"execution": _with_allow(EXECUTION, "kms:*")}, "pcs-cdk-execution", ["kms:*"]),
        ({"execution": _with_allow(EXECUTION, "s3:*")}, "pcs-cdk-execution", ["s3:*"]),
        (
            {"execution": _with_allow(EXECUTION, "iam:PassRole")},
            "pcs-cdk-execution",
            ["iam:PassRole on *"],
        ),
        ({"boundary": _with_allow(BOUNDARY, "sts:*")}, "pcs-permissions-boundary", ["sts:*"]),
        (
            {"boundary": _with_allow(BOUNDARY, "cloudtrail:*")},
            "pcs-permissions-boundary",
            ["cloudtrail:*"],
        ),
    ],
    ids=["kms-star", "s3-star", "pass-any-role", "boundary-sts-star", "boundary-cloudtrail-star"],
)
def test_a_wildcard_that_comes_back_fails_ac6(documents, subject, found):
    assert _results(**documents)[("PCS-AC6-ReleasePolicyByResource", subject)] == ("fail", found)


def _without_deny(document: dict, sid: str) -> dict:
    changed = copy.deepcopy(document)
    changed["Statement"] = [s for s in changed["Statement"] if s.get("Sid") != sid]
    return changed


@pytest.mark.parametrize("document", ["execution", "boundary"])
def test_a_missing_deny_fails_ac5(document):
    original = EXECUTION if document == "execution" else BOUNDARY
    results = _results(**{document: _without_deny(original, "NeverDisableSecurityHub")})
    subject = "pcs-cdk-execution" if document == "execution" else "pcs-permissions-boundary"
    assert results[("PCS-AC5-ReleaseGuardrails", subject)] == (
        "fail",
        ["securityhub:DisableSecurityHub on *"],
    )


def test_a_deny_narrowed_to_fewer_buckets_fails_ac5():
    changed = copy.deepcopy(EXECUTION)
    (buckets,) = [
        s for s in changed["Statement"] if s.get("Sid") == "NeverDeleteOrRepolicyTheEvidenceBuckets"
    ]
    buckets["Resource"] = buckets["Resource"][:1]  # the log buckets only
    result, missing = _results(execution=changed)[
        ("PCS-AC5-ReleaseGuardrails", "pcs-cdk-execution")
    ]
    assert result == "fail"
    assert "s3:PutBucketPolicy on arn:aws:s3:::pcs-*-audit-*" in missing


def _workflow(tmp_path: Path, change) -> Path:
    workflow = yaml.safe_load(release_path.DEPLOY_WORKFLOW.read_text())
    workflow["on"] = workflow.pop(True)
    change(workflow["jobs"])
    path = tmp_path / "deploy.yml"
    path.write_text(yaml.safe_dump(workflow))
    return path


@pytest.mark.parametrize(
    ("change", "gap"),
    [
        (lambda jobs: jobs["gate"].pop("if"), "job gate runs from any ref"),
        (
            lambda jobs: jobs["deploy"].update(needs=["assemble"]),
            "job deploy may request an OIDC token without the gate",
        ),
        (
            lambda jobs: jobs["assemble"]["permissions"].update({"id-token": "write"}),
            "jobs ['assemble', 'deploy'] may request an OIDC token",
        ),
        (
            lambda jobs: jobs["deploy"]["steps"].insert(0, {"run": "make synth cdk"}),
            "job deploy holds the OIDC token and installs packages",
        ),
        (lambda jobs: jobs.pop("gate"), "no gate job checking the environment"),
    ],
    ids=["dispatch-any-ref", "deploy-without-gate", "second-token", "installs", "no-gate"],
)
def test_a_gate_taken_away_fails_cm5(tmp_path, change, gap):
    result, gaps = _results(workflow=_workflow(tmp_path, change))[
        ("PCS-CM5-ReleaseGate", "deploy.yml")
    ]
    assert result == "fail"
    assert gap in gaps


def test_the_package_records_the_release_path_with_the_documents_hashes(package_dir: Path):
    rows = [
        r for r in read_csv(package_dir / "observations.csv") if r["stack"] == release_path.STACK
    ]
    assert sorted((r["check"], r["logical_id"], r["result"]) for r in rows) == [
        ("PCS-AC5-ReleaseGuardrails", "pcs-cdk-execution", "pass"),
        ("PCS-AC5-ReleaseGuardrails", "pcs-permissions-boundary", "pass"),
        ("PCS-AC6-ReleasePolicyByResource", "pcs-cdk-execution", "pass"),
        ("PCS-AC6-ReleasePolicyByResource", "pcs-permissions-boundary", "pass"),
        ("PCS-CM5-ReleaseGate", "deploy.yml", "pass"),
    ]
    hashes = {o.logical_id: o.template_sha256 for o in release_path.observations(ACCOUNT)}
    assert {r["logical_id"]: r["template_sha256"] for r in rows} == hashes
    assert {r["controls"] for r in rows} == {"ac-6 cm-5", "ac-5 ac-6 au-9", "cm-5 ac-5"}
