"""The pilot-light DR region's services (issue 13 part 2): the primary's ComputeStack built in
the DR region, every service at 0 tasks, the same task definitions on the DR region's resources,
behind an ALB that answers the origin name once the traffic switch selects the DR region."""

from __future__ import annotations

import json

from tests.infra.conftest import resources

SERVICES = {"pcs-prod-api", "pcs-prod-worker", "pcs-prod-beat", "pcs-prod-web"}
# What may differ between a primary and a DR task definition: the region and what the region's
# own resources are called (endpoints, buckets, keys, secrets), or how a value from the primary
# region reaches the DR stack (a cross-region reference instead of an import).
REGION_SPECIFIC = {
    "AWS_REGION",
    "DB_WRITER_HOST",
    "DB_READER_HOST",
    "REDIS_URL",
    "DOCUMENTS_BUCKET",
    "DOCUMENTS_KMS_KEY_ID",
    "OIDC_ISSUER",
    "OIDC_JWKS_URL",
    "OIDC_CLIENT_ID",
    "COGNITO_DOMAIN",
    "PCS_UPLOAD_ORIGINS",  # the web's CSP: the region's documents bucket (DR: the replica)
    "AUDIT_FIREHOSE_STREAM",
    "AWS_ENDPOINT_URL_CLOUDWATCH",  # the region's standard endpoints (no FIPS PrivateLink)
    "AWS_ENDPOINT_URL_FIREHOSE",
    "AWS_ENDPOINT_URL_LAMBDA",  # the pool-admin function's region (issue 22)
    "COGNITO_JWKS",  # the user pool's key set, a cross-region reference from the primary
    "COGNITO_USER_POOL_ID",  # members are created in the region's own pool first (issue 22)
    "COGNITO_STANDBY_REGION",  # ... and kept in the other region's (the DR's is the primary's)
}


def _by_family(result, stack: str) -> dict[str, dict]:
    return {
        t["Properties"]["Family"]: t["Properties"]
        for t in resources(result, stack, "AWS::ECS::TaskDefinition").values()
    }


def test_dr_services_desired_0_with_scaling_suspended(prod):
    assert prod.stacks["pcs-prod-dr-compute"].region == "us-west-2"
    services = resources(prod, "dr-compute", "AWS::ECS::Service").values()
    assert {s["Properties"]["ServiceName"]: s["Properties"]["DesiredCount"] for s in services} == (
        dict.fromkeys(SERVICES, 0)
    )
    targets = resources(prod, "dr-compute", "AWS::ApplicationAutoScaling::ScalableTarget")
    assert len(targets) == 3  # api, worker, web (Beat has no scaling)
    for target in targets.values():
        assert target["Properties"]["MinCapacity"] == 0
        assert set(target["Properties"]["SuspendedState"].values()) == {True}


def test_the_primary_services_keep_their_counts(prod):
    services = resources(prod, "compute", "AWS::ECS::Service").values()
    assert all(s["Properties"]["DesiredCount"] >= 1 for s in services)


def test_dr_task_definitions_are_the_primarys_except_region_specific_values(prod):
    primary, dr = _by_family(prod, "compute"), _by_family(prod, "dr-compute")
    assert set(primary) == set(dr)
    for family, definition in primary.items():
        twin = dr[family]
        for key in ("Cpu", "Memory", "RuntimePlatform", "NetworkMode", "RequiresCompatibilities"):
            assert twin.get(key) == definition.get(key), (family, key)
        (ours,) = definition["ContainerDefinitions"]
        (theirs,) = twin["ContainerDefinitions"]
        for key in ("Name", "Command", "HealthCheck", "PortMappings", "StopTimeout"):
            assert theirs.get(key) == ours.get(key), (family, key)
        # The same tag, pulled from the replica ECR created in the DR region.
        registry, _, path = theirs["Image"]["Fn::Join"][1]
        assert registry == "111111111111.dkr.ecr.us-west-2."
        assert path.startswith("/pcs-prod/")
        assert path.endswith(ours["Image"]["Fn::Join"][1][-1]), family
        plain = {e["Name"]: e["Value"] for e in ours.get("Environment", [])}
        dr_plain = {e["Name"]: e["Value"] for e in theirs.get("Environment", [])}
        assert set(dr_plain) == set(plain), family
        for name, value in plain.items():
            if name not in REGION_SPECIFIC:
                assert dr_plain[name] == value, (family, name)
        if "AWS_REGION" in dr_plain:
            assert dr_plain["AWS_REGION"] == "us-west-2"
        # Kafka is created after a failover: the DR worker starts without it (events wait in
        # the outbox); every other secret is the DR region's replica.
        secrets = {s["Name"] for s in ours.get("Secrets", [])} - {"KAFKA_BOOTSTRAP_SERVERS"}
        assert {s["Name"] for s in theirs.get("Secrets", [])} == secrets, family
        for secret in theirs.get("Secrets", []):
            assert ":secretsmanager:us-west-2:" in json.dumps(secret["ValueFrom"]), secret


def test_dr_services_use_only_dr_region_resources(prod):
    """Nothing in the DR region's services names the primary region, except the user pool's
    issuer and sign-in URL (Cognito stays in the primary region: dr-pilot-light-region.md) and
    the region of the other pool members are kept in (the standby of the DR region's own pool is
    the primary's: identity-standby-pool.md)."""
    body = prod.stacks["pcs-prod-dr-compute"].template_path.read_text()
    cognito = body.count("cognito-idp.us-east-1.amazonaws.com") + body.count(
        ".auth.us-east-1.amazoncognito.com"
    )
    template = json.loads(body)
    standby = [
        name
        for resource in template["Resources"].values()
        for name, value in _environment(resource).items()
        if value == "us-east-1"
    ]
    assert sorted(standby) == [
        "COGNITO_STANDBY_REGION",  # the API
        "COGNITO_STANDBY_REGION",  # the worker
        "STANDBY_REGION",  # the DR region's pool-admin function
    ]
    assert cognito and body.count("us-east-1") == cognito + len(standby)


def _environment(resource: dict) -> dict:
    """A task definition's or function's environment as ``{name: value}``."""
    properties = resource.get("Properties", {})
    if resource["Type"] == "AWS::Lambda::Function":
        return properties.get("Environment", {}).get("Variables", {})
    if resource["Type"] == "AWS::ECS::TaskDefinition":
        return {
            pair["Name"]: pair["Value"]
            for container in properties["ContainerDefinitions"]
            for pair in container.get("Environment", [])
        }
    return {}


def test_dr_roles_carry_the_dr_region_in_their_global_names(prod):
    names = [
        r["Properties"]["RoleName"]
        for stack in prod.stacks
        for r in resources(prod, stack.removeprefix("pcs-prod-"), "AWS::IAM::Role").values()
        if isinstance(r["Properties"].get("RoleName"), str)
    ]
    assert len(names) == len(set(names))
    dr_roles = [
        r["Properties"]["RoleName"]
        for r in resources(prod, "dr-compute", "AWS::IAM::Role").values()
        if "RoleName" in r["Properties"]
    ]
    assert "pcs-prod-api-task-us-west-2" in dr_roles
    assert all(name.endswith("-us-west-2") for name in dr_roles)


def test_dr_alb_is_the_primarys_internal_https_only_with_a_certificate_for_the_origin(prod):
    (alb,) = [
        lb["Properties"]
        for lb in resources(prod, "dr-origin", "AWS::ElasticLoadBalancingV2::LoadBalancer").values()
        if lb["Properties"]["Type"] == "application"
    ]
    assert (alb["Scheme"], alb["Name"]) == ("internal", "pcs-prod-api")
    listeners = resources(prod, "dr-origin", "AWS::ElasticLoadBalancingV2::Listener").values()
    protocols = sorted(listener["Properties"]["Protocol"] for listener in listeners)
    assert protocols == ["HTTPS", "HTTPS", "TCP"]  # the ALB's two, the entry's passthrough
    (certificate,) = resources(prod, "dr-origin", "AWS::CertificateManager::Certificate").values()
    assert certificate["Properties"]["DomainName"] == "origin.app.pcs.example.com"
