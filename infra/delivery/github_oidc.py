"""GitHub Actions' identity in AWS: an OIDC provider and a deploy role for one environment."""

from __future__ import annotations

from aws_cdk import Duration, Stack
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_iam as iam
from constructs import Construct

from infra.compute.task import nag_arn
from infra.config import PlatformConfig
from infra.delivery.bootstrap import CDK_QUALIFIER
from infra.gate.nag import acknowledge

GITHUB_OIDC_HOST = "token.actions.githubusercontent.com"
CDK_BOOTSTRAP_ROLES = ("deploy", "file-publishing")
# The compute stack's one-off task the deploy job runs before each release.
MIGRATION = "migrate"


class GithubDeployRole(Construct):
    """A role only jobs of the repository's GitHub environment can assume, with no long-lived keys.

    The environment (``prod``) has required reviewers, so every assumption follows a human
    approval of that run.

    It may push images to the two repositories (app and web) and assume the CDK bootstrap roles
    that run ``cdk deploy`` (CloudFormation then rolls the services, blue/green for the API).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: PlatformConfig,
        repositories: tuple[ecr.IRepository, ...],
    ) -> None:
        super().__init__(scope, construct_id)
        delivery = config.delivery
        stack = Stack.of(self)
        if delivery.create_oidc_provider:
            provider_arn = iam.OidcProviderNative(
                self,
                "Provider",
                url=f"https://{GITHUB_OIDC_HOST}",
                client_ids=["sts.amazonaws.com"],
            ).oidc_provider_arn
        else:  # another environment in this account already registered it
            provider_arn = stack.format_arn(
                service="iam", region="", resource="oidc-provider", resource_name=GITHUB_OIDC_HOST
            )
        subject = f"repo:{delivery.github_repository}:environment:{delivery.github_environment}"
        self.role = iam.Role(
            self,
            "Role",
            role_name=config.names.deploy_role,
            description=f"GitHub Actions deploys from {subject}",
            max_session_duration=Duration.hours(1),
            assumed_by=iam.FederatedPrincipal(
                provider_arn,
                conditions={
                    "StringEquals": {
                        f"{GITHUB_OIDC_HOST}:aud": "sts.amazonaws.com",
                        f"{GITHUB_OIDC_HOST}:sub": subject,
                    }
                },
                assume_role_action="sts:AssumeRoleWithWebIdentity",
            ),
        )
        for repository in repositories:
            repository.grant_pull_push(self.role)
        # The release waits for each image's copy in the DR region before releasing it there.
        self.role.add_to_policy(
            iam.PolicyStatement(
                sid="WaitForTheImagesReplicas",
                actions=["ecr:DescribeImageReplicationStatus"],
                resources=[repository.repository_arn for repository in repositories],
            )
        )
        # Both regions' compute stacks are released (.github/workflows/deploy.yml).
        regions = (stack.region, config.deployment.dr_region)
        self.role.add_to_policy(
            iam.PolicyStatement(
                sid="RunCdkDeployThroughTheBootstrapRoles",
                actions=["sts:AssumeRole"],
                resources=[
                    stack.format_arn(
                        service="iam",
                        region="",
                        resource="role",
                        resource_name=f"cdk-{CDK_QUALIFIER}-{name}-role-{stack.account}-{region}",
                    )
                    for region in regions
                    for name in CDK_BOOTSTRAP_ROLES
                ],
            )
        )
        wildcards = self._allow_migrations(config)
        acknowledge(
            self.role,
            "ecr:GetAuthorizationToken, ecs:DescribeTaskDefinition and "
            "ec2:DescribeSecurityGroups (read-only) have no resource-level permissions; pushes "
            "are limited to the platform's two repositories, role assumption to the CDK "
            "bootstrap roles, RegisterTaskDefinition and RunTask to the migrate family (RunTask "
            "in the platform cluster) and PassRole to the migrate roles. The policy is this "
            "role's own.",
            "AwsSolutions-IAM5[Resource::*]",
            "NIST.800.53.R5-IAMNoInlinePolicy",
            *wildcards,
        )

    def _allow_migrations(self, config: PlatformConfig) -> list[str]:
        """Register and run the migrate task with the new image; returns the wildcard rule ids.

        ARNs are built from the compute stack's fixed names: that stack deploys after this one.
        """
        stack = Stack.of(self)
        names = config.names
        cluster = names.ecs_cluster
        family = names.task_family(MIGRATION)

        def ecs_arn(resource: str, name: str) -> str:
            return stack.format_arn(service="ecs", resource=resource, resource_name=name)

        revisions = ecs_arn("task-definition", f"{family}:*")
        tasks = ecs_arn("task", f"{cluster}/*")
        statements = [
            iam.PolicyStatement(
                sid="ReadTheMigrationDefinition",
                actions=["ecs:DescribeTaskDefinition"],
                resources=["*"],  # no resource-level permissions; read-only
            ),
            iam.PolicyStatement(
                sid="RegisterOnlyMigrationRevisions",
                actions=["ecs:RegisterTaskDefinition"],
                resources=[revisions],
            ),
            iam.PolicyStatement(
                sid="RunTheMigrationTask",
                actions=["ecs:RunTask"],
                resources=[revisions],
                conditions={"ArnEquals": {"ecs:cluster": ecs_arn("cluster", cluster)}},
            ),
            iam.PolicyStatement(
                sid="WatchTheMigrationTask", actions=["ecs:DescribeTasks"], resources=[tasks]
            ),
            iam.PolicyStatement(
                sid="FindTheMigrationSecurityGroup",
                actions=["ec2:DescribeSecurityGroups"],
                resources=["*"],  # no resource-level permissions; read-only
            ),
            iam.PolicyStatement(
                sid="ReadTheApiNetworkConfiguration",
                actions=["ecs:DescribeServices"],
                resources=[ecs_arn("service", f"{cluster}/{names.service('api')}")],
            ),
            iam.PolicyStatement(
                sid="PassOnlyTheMigrationRoles",
                actions=["iam:PassRole"],
                resources=[
                    stack.format_arn(
                        service="iam",
                        region="",
                        resource="role",
                        resource_name=names.role(MIGRATION, kind),
                    )
                    for kind in ("execution", "task")
                ],
                conditions={"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}},
            ),
        ]
        for statement in statements:
            self.role.add_to_policy(statement)
        return [f"AwsSolutions-IAM5[Resource::{nag_arn(arn)}]" for arn in (revisions, tasks)]
