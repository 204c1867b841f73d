"""Deployment files: the operator's values live there only, and bad files get one-line errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from infra.cli import cli
from infra.config import ConfigError, load_config, read_deployment

INFRA = Path(__file__).resolve().parents[2] / "infra"
# Names of AWS and GitHub services, which are facts of the platforms, not an operator's values.
SERVICE_DOMAINS = (
    "amazonaws.com",
    "amazoncognito.com",
    "token.actions.githubusercontent.com",
    "api.github.com",
)
OPERATOR_LITERALS = {
    "account id": re.compile(r"(?<![\w.-])\d{12}(?![\w-])"),
    "hosted zone id": re.compile(r"\bZ[0-9A-Z]{12,31}\b"),
    "e-mail address": re.compile(r"[\w.+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+"),
    "domain": re.compile(r"\b[a-z0-9-]+(\.[a-z0-9-]+)*\.(com|org|net|io|gov|us|example)\b"),
}

GOOD = """
environment = "prod"
account = "123456789012"
region = "us-east-1"
availability_zones = ["us-east-1a", "us-east-1b", "us-east-1c"]
dr_region = "us-west-2"
dr_availability_zones = ["us-west-2a", "us-west-2b", "us-west-2c"]
domain_name = "app.test.example"
hosted_zone_name = "test.example"
hosted_zone_id = "Z0TEST000000000000"
alert_emails = ["ops@test.example"]
github_repository = "owner/name"
key_administrator_role = "key-admin"
"""


def _operator_literals(text: str) -> list[str]:
    found = []
    for kind, pattern in OPERATOR_LITERALS.items():
        for match in pattern.finditer(text):
            if not match.group(0).endswith(SERVICE_DOMAINS):
                found.append(f"{kind} {match.group(0)!r}")
    return found


def test_no_account_zone_email_or_domain_literal_in_infra():
    offenders = [
        f"{path.relative_to(INFRA.parent)}: {literal}"
        for path in sorted(INFRA.rglob("*"))
        if path.is_file() and path.suffix in (".py", ".toml", ".json", ".yaml", ".yml")
        for literal in _operator_literals(path.read_text())
    ]
    assert offenders == []


def test_the_literal_scan_sees_each_kind_of_operator_value():
    text = 'account = "123456789012"; zone = "Z0TEST000000000000"; x = "ops@acme.example"'
    assert len(_operator_literals(text)) == 4  # the e-mail's domain counts as a domain too
    assert _operator_literals('principal = "ecs-tasks.amazonaws.com"') == []


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(text)
    return path


def test_a_deployment_file_outside_the_repository_loads_by_path(tmp_path):
    config = load_config(_write(tmp_path, GOOD))
    assert config.deployment.name == "mine"
    assert config.edge.domain_name == "app.test.example"
    assert config.monitoring.alert_emails == ("ops@test.example",)
    assert config.tier.name == "100k"  # prod's default


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ('account = "123456789012"', 'account = "1234"'),
            "account='1234' is not allowed; allowed: 12 digits",
        ),
        (
            ('environment = "prod"', 'environment = "qa"'),
            "environment='qa' is not allowed; allowed: dev, staging, prod",
        ),
        (
            ('environment = "prod"', 'environment = "prod"\ntier = "5m"'),
            "tier='5m' is not allowed; allowed: 10k, 100k, 1m",
        ),
        (
            ('account = "123456789012"', "account = 123456789012"),
            "account=123456789012 is not allowed; allowed: a string",
        ),
        (
            ('environment = "prod"', 'environment = "prod"\nregoin = "x"'),
            "regoin='x' is not allowed; allowed: name, environment, account",
        ),
        (
            ('"us-east-1c"]', '"us-west-2c"]'),
            "'us-west-2c'] is not allowed; allowed: 2 or more distinct AZs of us-east-1",
        ),
        (
            ('domain_name = "app.test.example"', 'domain_name = "app.other.example"'),
            "domain_name='app.other.example' is not allowed; allowed: a DNS name in test.example",
        ),
        (
            ('"key-admin"', '"arn:aws:iam::123456789012:role/key-admin"'),
            "key_administrator_role='arn:aws:iam::123456789012:role/key-admin' is not allowed; "
            "allowed: an IAM role name",
        ),
        (
            ('"key-admin"', '"key-admin"\nbreak_glass_principals = ["oncall"]'),
            "break_glass_principals='oncall' is not allowed; allowed: IAM user or role ARNs",
        ),
        (
            ('alert_emails = ["ops@test.example"]', "alert_emails = []"),
            "alert_emails=[] is not allowed; allowed: 1 or more e-mail addresses",
        ),
    ],
)
def test_a_bad_deployment_file_gets_one_line_naming_file_field_and_allowed_values(
    tmp_path, change, expected
):
    path = _write(tmp_path, GOOD.replace(*change))
    with pytest.raises(ConfigError) as error:
        read_deployment(path)
    assert "\n" not in str(error.value)
    assert str(error.value).startswith(f"config error: {path}: ")
    assert expected in str(error.value)


def test_a_missing_field_is_named(tmp_path):
    with pytest.raises(ConfigError, match=r"mine.toml: hosted_zone_id=None .*required"):
        read_deployment(_write(tmp_path, GOOD.replace('hosted_zone_id = "Z0TEST000000000000"', "")))


def test_a_file_that_is_not_toml_is_named(tmp_path):
    with pytest.raises(ConfigError, match=r"mine.toml=.* allowed: valid TOML"):
        read_deployment(_write(tmp_path, "account = "))


def test_synth_of_a_bad_file_exits_2_with_one_line_and_writes_nothing(tmp_path):
    path = _write(tmp_path, GOOD.replace('region = "us-east-1"', 'region = "eu-west-1"'))
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["synth", "--deployment", str(path), "--outdir", str(out)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"config error: {path}: region='eu-west-1' is not allowed; "
        "allowed: us-east-1 (CloudFront certificates and web ACLs live there)"
    ]
    assert not out.exists()


def test_synth_records_no_context_lookup_in_the_manifest(prod):
    manifest = json.loads((prod.outdir / "manifest.json").read_text())
    assert "missing" not in manifest


def test_every_stack_spreads_over_the_deployments_azs(prod):
    subnets = [
        resource["Properties"]["AvailabilityZone"]
        for resource in prod.stacks["pcs-prod-network"].template["Resources"].values()
        if resource["Type"] == "AWS::EC2::Subnet"
    ]
    assert sorted(set(subnets)) == ["us-east-1a", "us-east-1b", "us-east-1c"]
