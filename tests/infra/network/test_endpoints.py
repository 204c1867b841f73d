"""VPC endpoints: the tasks' only way to AWS APIs and S3, each under an account-only policy."""

from __future__ import annotations

import pytest

from infra.config import TIERS, NetworkConfig, load_config
from tests.infra.conftest import resources

THIS_ACCOUNT = {"Ref": "AWS::AccountId"}
TASK_APIS = [
    "ecr.api",
    "ecr.dkr",
    "kinesis-firehose",  # the worker's audit stream
    "kms",  # ECS Exec's session key
    "lambda",  # the api's and worker's pool-admin function (identity-member-invitations.md)
    "logs",
    "monitoring",  # the worker's queue metrics
    "secretsmanager",
    "ssmmessages",  # ECS Exec's channels
]


def _endpoints(result, stack: str = "network") -> list[dict]:
    return [e["Properties"] for e in resources(result, stack, "AWS::EC2::VPCEndpoint").values()]


def _interfaces(result, stack: str = "network") -> list[dict]:
    return [e for e in _endpoints(result, stack) if e.get("VpcEndpointType") != "Gateway"]


def _gateway(result, stack: str = "network") -> dict:
    (gateway,) = [e for e in _endpoints(result, stack) if e.get("VpcEndpointType") == "Gateway"]
    return gateway


def _services(result) -> list[str]:
    # ServiceName is com.amazonaws.<region>.<service>
    return sorted(e["ServiceName"].split(".", 3)[3] for e in _interfaces(result))


def test_s3_gateway_endpoint_serves_private_and_database_route_tables(prod):
    gateway = _gateway(prod)
    assert gateway["ServiceName"]["Fn::Join"][1][-1] == ".s3"
    assert len(gateway["RouteTableIds"]) == 6


def test_interface_endpoints_cover_the_apis_the_tasks_and_the_kafka_lookup_call(prod):
    # The lookup's function runs with AWS_USE_FIPS_ENDPOINT: it calls kafka-fips.
    assert _services(prod) == sorted([*TASK_APIS, "kafka-fips"])


def test_no_msk_api_endpoint_where_the_tier_runs_no_kafka(dev):
    assert dev.config.kafka.enabled is False
    assert _services(dev) == TASK_APIS


def test_interface_endpoints_use_private_dns_in_two_of_the_three_private_subnets(prod):
    # Issue 26: two AZs keep every endpoint up when one AZ fails, at two thirds of the hours.
    assert prod.config.network.endpoint_zones() == ("us-east-1a", "us-east-1b")
    assert all(e["PrivateDnsEnabled"] and len(e["SubnetIds"]) == 2 for e in _interfaces(prod))


@pytest.mark.parametrize("tier", TIERS)
def test_every_tier_places_the_endpoints_in_two_azs_where_the_schema_takes_every_az(tier):
    # cost-endpoints-two-azs.md: a tier setting; without it the endpoints span the VPC's AZs.
    default = NetworkConfig.__dataclass_fields__["endpoint_zone_count"].default
    assert default == len(load_config("prod", tier).network.availability_zones) == 3
    assert load_config("prod", tier).network.endpoint_zone_count == 2


def _statements(endpoint: dict) -> list[dict]:
    return endpoint["PolicyDocument"]["Statement"]


def _account_conditions(statement: dict) -> dict:
    conditions = statement.get("Condition", {})
    return {
        key: value
        for operator in conditions.values()
        for key, value in operator.items()
        if key in ("aws:PrincipalAccount", "aws:ResourceAccount")
    }


@pytest.mark.parametrize("environment", ["dev", "staging", "prod"])
def test_every_endpoint_in_every_region_allows_only_this_accounts_principals(environment, request):
    result = request.getfixturevalue(environment)
    checked = 0
    for stack in ("network", "dr-network"):
        for endpoint in _endpoints(result, stack):
            account_statements = [s for s in _statements(endpoint) if _account_conditions(s)]
            assert account_statements, endpoint["ServiceName"]
            for statement in account_statements:
                assert statement["Effect"] == "Allow"
                assert _account_conditions(statement)["aws:PrincipalAccount"] == THIS_ACCOUNT
                assert _account_conditions(statement)["aws:ResourceAccount"] == THIS_ACCOUNT
            checked += 1
    assert checked == len(_endpoints(result)) + len(_endpoints(result, "dr-network"))


def _aws_owned(result, stack: str = "network") -> dict[str, str]:
    """The gateway's statements without the account condition: ``{bucket ARN: action}``."""
    owned = {}
    for statement in _statements(_gateway(result, stack)):
        if _account_conditions(statement):
            continue
        (resource,) = [statement["Resource"]]
        owned[resource["Fn::Join"][1][-1]] = statement["Action"]
    return owned


def test_s3_gateway_adds_only_ecrs_layer_bucket_and_cloudformations_response_bucket(prod):
    assert _aws_owned(prod) == {
        ":s3:::prod-us-east-1-starport-layer-bucket/*": "s3:GetObject",
        # The bootstrap-broker lookup, a function in the VPC, answers CloudFormation.
        ":s3:::cloudformation-custom-resource-response-useast1/*": "s3:PutObject",
    }


def test_no_cloudformation_response_bucket_where_no_function_in_the_vpc_answers_it(dev):
    assert _aws_owned(dev) == {":s3:::prod-us-east-1-starport-layer-bucket/*": "s3:GetObject"}
    assert _aws_owned(dev, "dr-network") == {
        ":s3:::prod-us-west-2-starport-layer-bucket/*": "s3:GetObject"
    }


def test_interface_endpoints_name_no_aws_owned_resource(prod):
    assert all(
        _account_conditions(statement)
        for endpoint in _interfaces(prod)
        for statement in _statements(endpoint)
    )
