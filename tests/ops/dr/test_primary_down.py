"""The runbook's region-failure steps with us-east-1 gone: no call may need that region.

Every us-east-1 client (Route 53's API among them: its control plane lives there) fails as an
unreachable endpoint does; the DR region is moto.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests.ops.dr.conftest import DR, ORIGINAL_SECRET, PRIMARY, SECRET, Aws, cut_off

RUNBOOK = Path(__file__).resolve().parents[3] / "docs" / "runbook.md"
SECONDARY = "pcs-prod-aurora-secondary"


def _scenario_3(command: str) -> list[list[str]]:
    """The runbook's region-failure invocations of ``command``, placeholders filled."""
    text = RUNBOOK.read_text()
    section = text[text.index("## Scenario 3") : text.index("## Scenario 4")]
    found = re.findall(r"`python -m ops\.dr (--deployment [^ `]+ [a-z][^`]+)`", section)
    return [
        shlex.split(re.sub(r"<[^>]+>", "Z0PLACEHOLDER", line))
        for line in found
        if line.split()[2] == command
    ]


@pytest.fixture
def dr_only(aws: Aws) -> tuple[Aws, list[str]]:
    """The DR secondary (with an instance) and the DR replica of the credentials secret;
    every us-east-1 client cut off."""
    rds = boto3.client("rds", region_name=DR)
    rds.create_db_cluster(
        DBClusterIdentifier=SECONDARY,
        Engine="aurora-postgresql",
        MasterUsername="pcs_admin",
        MasterUserPassword="not-a-real-password",
        StorageEncrypted=True,
        DeletionProtection=True,
    )
    rds.create_db_instance(
        DBInstanceIdentifier=f"{SECONDARY}-1",
        DBClusterIdentifier=SECONDARY,
        Engine="aurora-postgresql",
        DBInstanceClass="db.serverless",
    )
    boto3.client("secretsmanager", region_name=DR).create_secret(
        Name=SECRET, SecretString=json.dumps(ORIGINAL_SECRET)
    )
    calls: list[str] = []
    plain = aws.client

    def client(service: str, region: str) -> Any:
        made = plain(service, region)
        return cut_off(made, region, calls) if region == PRIMARY else made

    aws.client = client  # type: ignore[method-assign]
    return aws, calls


def test_runbook_points_the_dr_secret_with_us_east_1_down(dr_only):
    aws, calls = dr_only
    (args,) = _scenario_3("point-app")
    result = aws.run(*args, "--yes")
    assert calls == []  # not one call to us-east-1 (Route 53's API included)
    assert result.exit_code == 0, result.output
    endpoint = aws.cluster(SECONDARY, DR)["Endpoint"]
    secret = boto3.client("secretsmanager", region_name=DR).get_secret_value(SecretId=SECRET)
    assert json.loads(secret["SecretString"])["host"] == endpoint


def test_runbook_verifies_the_dr_region_with_us_east_1_down(dr_only):
    aws, calls = dr_only
    (point,) = _scenario_3("point-app")
    assert aws.run(*point, "--yes").exit_code == 0
    (args,) = _scenario_3("verify")
    result = aws.run(*args)
    assert calls == []
    assert "ok   secret points at cluster" in result.stdout, result.output


def test_a_dns_name_in_the_dr_region_is_refused_before_any_call(dr_only):
    aws, calls = dr_only
    result = aws.run(
        "point-app",
        "--region",
        "dr",
        "--cluster",
        SECONDARY,
        "--hosted-zone-id",
        "Z0EXAMPLE",
        "--record-name",
        "db.pcs.example.com",
        "--yes",
    )
    assert calls == []
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: --hosted-zone-id=Z0EXAMPLE is not allowed; allowed: omitted with --region dr "
        "(Route 53's API runs in us-east-1; the DR services name the secondary's endpoint "
        "themselves)"
    )
