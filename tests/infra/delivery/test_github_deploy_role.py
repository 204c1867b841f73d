"""GitHub OIDC: the deploy role only this repository's prod environment can assume; the ECR
repository."""

from __future__ import annotations

from tests.infra.conftest import resources

GITHUB = "token.actions.githubusercontent.com"


def _deploy_role(result) -> tuple[str, dict]:
    (match,) = [
        (logical_id, r["Properties"])
        for logical_id, r in resources(result, "delivery", "AWS::IAM::Role").items()
        if r["Properties"]["RoleName"] == f"{result.config.prefix}-github-deploy"
    ]
    return match


def test_oidc_provider_trusts_github_actions_for_sts(prod):
    (provider,) = resources(prod, "delivery", "AWS::IAM::OIDCProvider").values()
    assert provider["Properties"]["Url"] == f"https://{GITHUB}"
    assert provider["Properties"]["ClientIdList"] == ["sts.amazonaws.com"]


def test_deploy_role_is_assumable_only_from_the_repositorys_prod_environment(prod):
    _, role = _deploy_role(prod)
    (statement,) = role["AssumeRolePolicyDocument"]["Statement"]
    delivery = prod.config.delivery
    assert delivery.github_environment == "prod"
    subject = f"repo:{delivery.github_repository}:environment:prod"
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert statement["Condition"]["StringEquals"] == {
        f"{GITHUB}:aud": "sts.amazonaws.com",
        f"{GITHUB}:sub": subject,
    }


def test_deploy_role_may_push_images_and_assume_only_the_cdk_bootstrap_roles(prod):
    logical_id, _ = _deploy_role(prod)
    (policy,) = [
        p["Properties"]["PolicyDocument"]["Statement"]
        for p in resources(prod, "delivery", "AWS::IAM::Policy").values()
        if {"Ref": logical_id} in p["Properties"]["Roles"]
    ]
    (assume,) = [s for s in policy if s["Action"] == "sts:AssumeRole"]
    roles = ["".join(p for p in r["Fn::Join"][1] if isinstance(p, str)) for r in assume["Resource"]]
    assert all(":role/cdk-hnb659fds-" in r for r in roles)
    # Both regions' bootstrap roles: the release deploys the DR region's compute stack too.
    assert sorted(r.rsplit(":role/", 1)[1] for r in roles) == [
        f"cdk-hnb659fds-{name}-role-111111111111-{region}"
        for name in ("deploy", "file-publishing")
        for region in ("us-east-1", "us-west-2")
    ]
    assert any("ecr:PutImage" in s["Action"] for s in policy)
    (replication,) = [s for s in policy if s["Action"] == "ecr:DescribeImageReplicationStatus"]
    assert len(replication["Resource"]) == 2  # the app and web repositories only


def _repositories(result) -> list[dict]:
    """The app image's and the web image's repositories, both held to the same controls."""
    repositories = list(resources(result, "delivery", "AWS::ECR::Repository").values())
    names = sorted(r["Properties"]["RepositoryName"] for r in repositories)
    assert names == ["pcs-prod/app", "pcs-prod/web"]
    return repositories


def test_repository_scans_on_push(prod):
    for repository in _repositories(prod):
        assert repository["Properties"]["ImageScanningConfiguration"] == {"ScanOnPush": True}


def test_repository_tags_are_immutable(prod):
    for repository in _repositories(prod):
        assert repository["Properties"]["ImageTagMutability"] == "IMMUTABLE"


def test_repository_is_encrypted_with_a_customer_managed_key(prod):
    for repository in _repositories(prod):
        encryption = repository["Properties"]["EncryptionConfiguration"]
        assert encryption["EncryptionType"] == "KMS"
        assert "ImagesKey" in encryption["KmsKey"]["Fn::GetAtt"][0]


def test_repository_lifecycle_expires_untagged_and_keeps_recent_releases(prod):
    for repository in _repositories(prod):
        text = repository["Properties"]["LifecyclePolicy"]["LifecyclePolicyText"]
        assert '"tagStatus":"untagged"' in text
        assert f'"countNumber":{prod.config.compute.image_keep_count}' in text


def test_services_run_the_configured_image_tag_from_that_repository(prod):
    definitions = resources(prod, "compute", "AWS::ECS::TaskDefinition").values()
    containers = [d["Properties"]["ContainerDefinitions"][0] for d in definitions]
    images = [c["Image"]["Fn::Join"][1] for c in containers if c["Name"] != "nextjs-web"]
    assert len(images) == 4
    assert all("pcs-prod-delivery:ExportsOutputRefRepository" in str(parts) for parts in images)
    tag = prod.config.delivery.image_tag
    assert {parts[-1] for parts in images} == {f":{tag}-arm64"}


def _deploy_statements(result) -> list[dict]:
    logical_id, _ = _deploy_role(result)
    (policy,) = [
        p["Properties"]["PolicyDocument"]["Statement"]
        for p in resources(result, "delivery", "AWS::IAM::Policy").values()
        if {"Ref": logical_id} in p["Properties"]["Roles"]
    ]
    return policy


def _flat(value) -> str:
    return "".join(p for p in value["Fn::Join"][1] if isinstance(p, str))


def test_deploy_role_runs_only_the_migration_family_in_the_platform_cluster(prod):
    (run,) = [s for s in _deploy_statements(prod) if s.get("Sid") == "RunTheMigrationTask"]
    prefix = prod.config.prefix
    assert _flat(run["Resource"]).endswith(f":task-definition/{prefix}-migrate:*")
    cluster = _flat(run["Condition"]["ArnEquals"]["ecs:cluster"])
    assert cluster.endswith(f":cluster/{prefix}-cluster")


def test_deploy_role_passes_only_the_migration_roles_to_ecs_tasks(prod):
    statements = _deploy_statements(prod)
    (passing,) = [s for s in statements if s.get("Sid") == "PassOnlyTheMigrationRoles"]
    prefix = prod.config.prefix
    assert sorted(_flat(r).rsplit("/", 1)[1] for r in passing["Resource"]) == [
        f"{prefix}-migrate-execution",
        f"{prefix}-migrate-task",
    ]
    assert passing["Condition"] == {
        "StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}
    }


def test_deploy_role_may_only_read_security_groups_to_find_the_migration_group(prod):
    # The migrate task runs in its own group, found by name; describing is read-only and has no
    # resource-level permissions, and no other EC2 action is granted.
    ec2 = [s for s in _deploy_statements(prod) if any(a.startswith("ec2:") for a in _actions(s))]
    assert [(_actions(s), s["Resource"]) for s in ec2] == [(["ec2:DescribeSecurityGroups"], "*")]


def _actions(statement: dict) -> list[str]:
    action = statement["Action"]
    return [action] if isinstance(action, str) else action


def _resources(statement: dict) -> list[str]:
    found = statement["Resource"]
    listed = found if isinstance(found, list) else [found]
    return [r if isinstance(r, str) else _flat(r) for r in listed]


def test_deploy_roles_ecs_writes_and_passrole_name_only_the_platforms_family_and_roles(prod):
    prefix = prod.config.prefix
    family = f":task-definition/{prefix}-migrate:*"
    roles = {f":role/{prefix}-migrate-execution", f":role/{prefix}-migrate-task"}
    checked = set()
    for statement in _deploy_statements(prod):
        for action in _actions(statement):
            if action in ("ecs:RegisterTaskDefinition", "ecs:RunTask"):
                assert all(r.endswith(family) for r in _resources(statement)), statement
            elif action == "iam:PassRole":
                assert {r[r.index(":role/") :] for r in _resources(statement)} == roles
            elif action.startswith("ecs:") and action != "ecs:DescribeTaskDefinition":
                assert "*" not in _resources(statement), statement
            else:
                continue
            checked.add(action)
    assert {"ecs:RegisterTaskDefinition", "ecs:RunTask", "iam:PassRole"} <= checked


def test_services_run_the_scanned_digest_when_the_release_names_one():
    from infra.compute.task import Placement
    from infra.config import Architecture

    digest = "sha256:" + "a" * 64
    placement = Placement(
        cluster=None, security_groups={}, repository=None, image_tag="abc", logs_key=None,
        image_digests=(("arm64", digest),),
    )  # fmt: skip
    assert placement.image_reference(Architecture.ARM64) == digest
    assert placement.image_reference(Architecture.X86_64) == "abc-amd64"
