"""SC-13: every container and every Lambda function calls AWS through FIPS endpoints, and each
endpoint the platform's code calls has a FIPS variant in the primary and the DR region."""

from __future__ import annotations

import json
import re
from pathlib import Path

import boto3
import botocore
import pytest
from aws_cdk import aws_ec2 as ec2

from infra.config import load_config
from infra.defaults.fips import FIPS_ENDPOINT_VARIABLE, WITHOUT_FIPS_PRIVATE_ENDPOINT
from tests.infra.compute.helpers import container

ROOT = Path(__file__).resolve().parents[2]
CRYPTOGRAPHY = (ROOT / "docs" / "cryptography.md").read_text()
REGIONS = ("us-east-1", "us-west-2")


def _resources(result, resource_type: str) -> list[tuple[str, str, dict]]:
    return [
        (stack_name, logical_id, resource["Properties"])
        for stack_name, stack in result.stacks.items()
        for logical_id, resource in stack.template["Resources"].items()
        if resource["Type"] == resource_type
    ]


@pytest.mark.parametrize("env_name", ["prod", "dev"])
def test_every_lambda_function_of_every_stack_uses_fips_endpoints(request, env_name):
    functions = _resources(request.getfixturevalue(env_name), "AWS::Lambda::Function")
    # the archive exporter, the test-phase hook, the Kafka lookup, CDK's default-SG closers
    assert len(functions) >= 4
    without = [
        f"{stack}/{logical_id}"
        for stack, logical_id, props in functions
        if props.get("Environment", {}).get("Variables", {}).get(FIPS_ENDPOINT_VARIABLE) != "true"
    ]
    assert without == []


def test_cdk_singleton_providers_are_reached_too(prod):
    handlers = {
        props["Handler"]
        for _, _, props in _resources(prod, "AWS::Lambda::Function")
        if props["Environment"]["Variables"][FIPS_ENDPOINT_VARIABLE] == "true"
    }
    assert "__entrypoint__.handler" in handlers  # CustomResourceProvider (VPC default SG)
    assert "index.handler" in handlers  # AwsCustomResource's singleton (Kafka lookup)


@pytest.mark.parametrize("env_name", ["prod", "dev"])
def test_every_container_of_every_task_definition_uses_fips_endpoints(request, env_name):
    definitions = _resources(request.getfixturevalue(env_name), "AWS::ECS::TaskDefinition")
    containers = [
        (props["Family"], c["Name"], {e["Name"]: e["Value"] for e in c.get("Environment", [])})
        for _, _, props in definitions
        for c in props["ContainerDefinitions"]
    ]
    assert len(containers) >= 5  # api, worker, beat, migrate, web
    assert [(f, n) for f, n, env in containers if env.get(FIPS_ENDPOINT_VARIABLE) != "true"] == []


def _documented_endpoints() -> list[tuple[str, str, dict[str, str]]]:
    """(caller, endpoint prefix, {region: FIPS hostname}) of docs/cryptography.md's table."""
    table = CRYPTOGRAPHY.split("<!-- fips-endpoints:start -->")[1].split("<!-- fips-endpoints:end")
    rows = []
    for line in table[0].strip().splitlines()[2:]:
        cells = [cell.strip().strip("`") for cell in line.strip("|").split("|")]
        caller, _api, prefix, *hosts = cells
        rows.append((caller, prefix, dict(zip(REGIONS, hosts, strict=True))))
    return rows


def _botocore_fips_hostname(prefix: str, region: str) -> str | None:
    """The FIPS hostname botocore's endpoint data lists for ``prefix`` in ``region``."""
    data = json.loads((Path(botocore.__file__).parent / "data" / "endpoints.json").read_text())
    (aws,) = [p for p in data["partitions"] if p["partition"] == "aws"]
    service = aws["services"].get(prefix, {})
    endpoint = service.get("endpoints", {}).get(region)
    if endpoint is None:
        return None
    for variant in endpoint.get("variants", []):
        if variant.get("tags") == ["fips"]:
            template = variant.get("hostname") or "{service}-fips.{region}.{dnsSuffix}"
            return template.format(service=prefix, region=region, dnsSuffix="amazonaws.com")
    return None


def test_the_regions_checked_are_the_deployments_primary_and_dr_regions(prod):
    assert (prod.config.deployment.region, prod.config.deployment.dr_region) == REGIONS


@pytest.mark.parametrize(
    "caller, prefix, hosts", _documented_endpoints(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_each_documented_endpoint_has_a_fips_variant_in_both_regions(caller, prefix, hosts):
    for region in REGIONS:
        assert _botocore_fips_hostname(prefix, region) == hosts[region], (caller, region)


def _deployment_regions() -> set[str]:
    """Every region any deployment file deploys into (primary and DR)."""
    return {
        region
        for path in (ROOT / "deployments").glob("*.toml")
        for deployment in [load_config(path.stem).deployment]
        for region in (deployment.region, deployment.dr_region)
    }


def test_every_deployments_regions_have_each_documented_fips_endpoint():
    regions = _deployment_regions()
    assert set(REGIONS) < regions  # acme-prod's DR region is us-east-2
    missing = [
        (prefix, region)
        for _, prefix, _ in _documented_endpoints()
        for region in sorted(regions)
        if _botocore_fips_hostname(prefix, region) is None
    ]
    assert missing == []


def test_a_service_without_a_fips_endpoint_would_be_caught():
    # Backup and Application Auto Scaling list none in us-east-1: the check can fail.
    assert _botocore_fips_hostname("backup", "us-east-1") is None
    assert _botocore_fips_hostname("ssmmessages", "us-east-1") is None


def _client_calls(*paths: Path) -> set[str]:
    pattern = re.compile(r"""boto3\.client\(\s*["']([a-z0-9-]+)["']""")
    return {
        match
        for path in paths
        for source in path.rglob("*.py")
        for match in pattern.findall(source.read_text())
    }


def test_every_boto3_client_of_the_service_and_the_functions_is_in_the_table():
    # boto3 client names are the endpoint prefixes except CloudWatch's (monitoring).
    called = _client_calls(ROOT / "service", ROOT / "infra" / "backup", ROOT / "infra" / "delivery")
    assert {"s3", "firehose", "cloudwatch", "rds"} <= called
    prefixes = {"monitoring" if name == "cloudwatch" else name for name in called}
    assert prefixes <= {prefix for _, prefix, _ in _documented_endpoints()}


def _fips_interface_services() -> set[str]:
    """The ``-fips`` interface endpoint services CDK knows (PrivateLink), by short name."""
    services = ec2.InterfaceVpcEndpointAwsService
    return {getattr(services, name).short_name for name in dir(services) if name.endswith("_FIPS")}


def test_the_standard_endpoints_pinned_are_exactly_those_without_a_fips_private_endpoint():
    # What the containers call through the VPC (S3 goes through the gateway endpoint instead).
    called = {"cloudwatch": "monitoring", "firehose": "firehose", "lambda": "lambda"}
    private_fips = _fips_interface_services()
    assert {"kms-fips", "sts-fips", "kafka-fips"} <= private_fips  # the catalogue is read
    without = {
        client: prefix
        for client, prefix in called.items()
        if not {f"{prefix}-fips", f"kinesis-{prefix}-fips"} & private_fips
    }
    assert without == WITHOUT_FIPS_PRIVATE_ENDPOINT


def test_the_worker_reaches_cloudwatch_and_firehose_at_their_standard_hosts(prod, monkeypatch):
    # Beat publishes the queue metrics (CloudWatch, issue 25); the worker the audit events and
    # the pool-admin calls (Firehose, Lambda).
    environment = {
        e["Name"]: e["Value"]
        for role in ("worker", "beat")
        for e in container(prod, role)["Environment"]
    }
    monkeypatch.setenv(FIPS_ENDPOINT_VARIABLE, "true")
    for client, prefix in WITHOUT_FIPS_PRIVATE_ENDPOINT.items():
        variable = f"AWS_ENDPOINT_URL_{client.upper()}"
        assert environment[variable] == f"https://{prefix}.us-east-1.amazonaws.com"
        monkeypatch.setenv(variable, environment[variable])  # and boto3 honours it over FIPS
        resolved = boto3.client(client, region_name="us-east-1", aws_access_key_id="x",
                                aws_secret_access_key="y").meta.endpoint_url  # fmt: skip
        assert resolved == environment[variable]
    api = {e["Name"] for e in container(prod, "api")["Environment"]}
    # S3 stays on s3-fips; the pool-admin function is invoked at Lambda's standard host.
    assert {n for n in api if n.startswith("AWS_ENDPOINT_URL_")} == {"AWS_ENDPOINT_URL_LAMBDA"}
