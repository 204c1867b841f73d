"""The CDK bootstrap the platform deploys through: a least-privilege CloudFormation execution
policy and the permissions boundary every role the stacks create carries.

`cdk bootstrap` alone gives CloudFormation AdministratorAccess. ``make bootstrap`` instead
creates (or updates) two account-wide managed policies from the documents below and bootstraps
both regions with ``--cloudformation-execution-policies`` naming the first. CloudFormation may
then touch only the services the stacks use, and may create roles only with the boundary
(cdk.json's ``@aws-cdk/core:permissionsBoundary`` puts it on every role of the app).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

EXECUTION_POLICY = "pcs-cdk-execution"
# The CDK bootstrap's default qualifier; `cdk deploy` assumes its roles (docs/deploy.md).
CDK_QUALIFIER = "hnb659fds"
PERMISSIONS_BOUNDARY = "pcs-permissions-boundary"
# Every stack, and so every role and managed policy CloudFormation names after its stack.
RESOURCE_PREFIX = "pcs-"
GITHUB_OIDC_HOST = "token.actions.githubusercontent.com"

# CloudFormation resource-type namespace -> IAM service prefix, for every namespace the
# synthesized templates use (a test keeps this exact: no service the stacks do not use).
SERVICES_BY_NAMESPACE = {
    "AWS::ApplicationAutoScaling": "application-autoscaling",
    "AWS::Backup": "backup",
    "AWS::CertificateManager": "acm",
    "AWS::CloudFront": "cloudfront",
    "AWS::CloudTrail": "cloudtrail",
    "AWS::CloudWatch": "cloudwatch",
    "AWS::Cognito": "cognito-idp",
    "AWS::Config": "config",
    "AWS::EC2": "ec2",
    "AWS::ECR": "ecr",
    "AWS::ECS": "ecs",
    "AWS::ElastiCache": "elasticache",
    "AWS::ElasticLoadBalancingV2": "elasticloadbalancing",
    "AWS::Events": "events",
    "AWS::GuardDuty": "guardduty",
    "AWS::IAM": "iam",  # granted by the scoped statements of execution_policy(), never iam:*
    "AWS::KMS": "kms",
    "AWS::KinesisFirehose": "firehose",
    "AWS::Lambda": "lambda",
    "AWS::Logs": "logs",
    "AWS::MSK": "kafka",
    "AWS::RDS": "rds",
    "AWS::Route53": "route53",
    "AWS::S3": "s3",
    "AWS::SNS": "sns",
    "AWS::SecretsManager": "secretsmanager",
    "AWS::SecurityHub": "securityhub",
    "AWS::Serverless": "serverlessrepo",  # the rotation functions: SAR nested stacks
    "AWS::WAFv2": "wafv2",
    "Custom::": "lambda",  # custom resources are Lambda-backed
}
# What CloudFormation needs besides the resources' own services: nested stacks and the SAM
# transform (cloudformation), the bootstrap version parameter (ssm), vault storage (backup).
DEPLOYMENT_SERVICES = ("cloudformation", "ssm", "backup-storage")
# What the platform's roles call at run time besides those: ECS Exec channels, MSK IAM auth,
# role assumption by the deploy role.
RUNTIME_SERVICES = ("ssmmessages", "kafka-cluster", "sts")
# The rotation functions' roles come from the Serverless Application Repository's templates,
# which take no boundary: CloudFormation may create those (and only those) without it.
UNBOUNDED_ROLE_PATTERN = f"{RESOURCE_PREFIX}*-AuroraRotation*"

ROLE_ADMINISTRATION = (
    "iam:AttachRolePolicy",
    "iam:DeleteRole",
    "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy",
    "iam:GetRole",
    "iam:GetRolePolicy",
    "iam:ListAttachedRolePolicies",
    "iam:ListRolePolicies",
    "iam:ListRoleTags",
    "iam:PassRole",
    "iam:PutRolePolicy",
    "iam:TagRole",
    "iam:UntagRole",
    "iam:UpdateAssumeRolePolicy",
    "iam:UpdateRole",
    "iam:UpdateRoleDescription",
)
POLICY_ADMINISTRATION = (
    "iam:CreatePolicy",
    "iam:CreatePolicyVersion",
    "iam:DeletePolicy",
    "iam:DeletePolicyVersion",
    "iam:GetPolicy",
    "iam:GetPolicyVersion",
    "iam:ListPolicyVersions",
    "iam:TagPolicy",
    "iam:UntagPolicy",
)
OIDC_PROVIDER_ADMINISTRATION = (
    "iam:CreateOpenIDConnectProvider",
    "iam:DeleteOpenIDConnectProvider",
    "iam:GetOpenIDConnectProvider",
    "iam:TagOpenIDConnectProvider",
    "iam:UntagOpenIDConnectProvider",
    "iam:UpdateOpenIDConnectProviderThumbprint",
)


def cloudformation_execution_role(account: str, region: str) -> str:
    """The name of the role CloudFormation deploys the stacks of ``region`` with (bootstrap)."""
    return f"cdk-{CDK_QUALIFIER}-cfn-exec-role-{account}-{region}"


def platform_services() -> tuple[str, ...]:
    """IAM prefixes of every service the stacks create resources in (IAM itself apart)."""
    return tuple(sorted({*SERVICES_BY_NAMESPACE.values(), *DEPLOYMENT_SERVICES} - {"iam"}))


def _iam_arn(partition: str, account: str, resource: str) -> str:
    return f"arn:{partition}:iam::{account}:{resource}"


def execution_policy(*, account: str, partition: str = "aws") -> dict[str, Any]:
    """The policy CloudFormation deploys the stacks with, in place of AdministratorAccess."""
    boundary = _iam_arn(partition, account, f"policy/{PERMISSIONS_BOUNDARY}")
    platform_roles = _iam_arn(partition, account, f"role/{RESOURCE_PREFIX}*")
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PlatformServices",
                "Effect": "Allow",
                "Action": [f"{service}:*" for service in platform_services()],
                "Resource": "*",
            },
            {
                "Sid": "CreateRolesOnlyWithTheBoundary",
                "Effect": "Allow",
                "Action": ["iam:CreateRole", "iam:PutRolePermissionsBoundary"],
                "Resource": platform_roles,
                "Condition": {"StringEquals": {"iam:PermissionsBoundary": boundary}},
            },
            {
                "Sid": "CreateTheRotationApplicationsRoles",
                "Effect": "Allow",
                "Action": ["iam:CreateRole"],
                "Resource": _iam_arn(partition, account, f"role/{UNBOUNDED_ROLE_PATTERN}"),
            },
            {
                "Sid": "AdministerPlatformRoles",
                "Effect": "Allow",
                "Action": list(ROLE_ADMINISTRATION),
                "Resource": platform_roles,
            },
            {
                "Sid": "AdministerPlatformManagedPolicies",
                "Effect": "Allow",
                "Action": list(POLICY_ADMINISTRATION),
                "Resource": _iam_arn(partition, account, f"policy/{RESOURCE_PREFIX}*"),
            },
            {
                "Sid": "GithubOidcProvider",
                "Effect": "Allow",
                "Action": list(OIDC_PROVIDER_ADMINISTRATION),
                "Resource": _iam_arn(partition, account, f"oidc-provider/{GITHUB_OIDC_HOST}"),
            },
            {
                "Sid": "ServiceLinkedRoles",
                "Effect": "Allow",
                "Action": ["iam:CreateServiceLinkedRole"],
                "Resource": _iam_arn(partition, account, "role/aws-service-role/*"),
            },
            {
                "Sid": "NeverLoosenTheGuardrails",
                "Effect": "Deny",
                "Action": [
                    "iam:DeleteRolePermissionsBoundary",
                    "iam:CreatePolicyVersion",
                    "iam:DeletePolicy",
                    "iam:DeletePolicyVersion",
                    "iam:SetDefaultPolicyVersion",
                ],
                "Resource": [
                    platform_roles,
                    boundary,
                    _iam_arn(partition, account, f"policy/{EXECUTION_POLICY}"),
                ],
            },
        ],
    }


def permissions_boundary() -> dict[str, Any]:
    """The most any role of the stacks may do: the platform's services, no IAM but PassRole."""
    services = sorted({*platform_services(), *RUNTIME_SERVICES} - {"cloudformation"})
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PlatformServices",
                "Effect": "Allow",
                "Action": [f"{service}:*" for service in services],
                "Resource": "*",
            },
            {
                "Sid": "PassAndReadRolesOnly",
                "Effect": "Allow",
                "Action": ["iam:PassRole", "iam:GetRole"],
                "Resource": "*",
            },
        ],
    }


def upsert_managed_policy(iam_client: Any, *, account: str, name: str, document: dict) -> str:
    """Create the managed policy ``name``, or make ``document`` its default version; its ARN.

    IAM keeps five versions: the oldest non-default one is deleted first when five exist.
    """
    arn = f"arn:aws:iam::{account}:policy/{name}"
    text = json.dumps(document, separators=(",", ":"))
    try:
        iam_client.get_policy(PolicyArn=arn)
    except iam_client.exceptions.NoSuchEntityException:
        return iam_client.create_policy(PolicyName=name, PolicyDocument=text)["Policy"]["Arn"]
    versions = iam_client.list_policy_versions(PolicyArn=arn)["Versions"]
    if len(versions) >= 5:
        previous = [v for v in versions if not v["IsDefaultVersion"]]
        oldest = min(previous, key=lambda version: version["CreateDate"])
        iam_client.delete_policy_version(PolicyArn=arn, VersionId=oldest["VersionId"])
    iam_client.create_policy_version(PolicyArn=arn, PolicyDocument=text, SetAsDefault=True)
    return arn


def bootstrap_command(
    cdk: str, *, account: str, regions: Sequence[str], execution_policy_arn: str
) -> list[str]:
    """The pinned CLI's ``cdk bootstrap`` of ``regions`` with the repository's execution policy."""
    return [
        cdk,
        "bootstrap",
        *(f"aws://{account}/{region}" for region in regions),
        "--cloudformation-execution-policies",
        execution_policy_arn,
    ]


def bootstrap(
    iam_client: Any,
    *,
    account: str,
    regions: Sequence[str],
    cdk: str,
    run: Callable[[list[str]], int],
) -> int:
    """Put both policies in place, then bootstrap ``regions``; the CLI's exit code."""
    upsert_managed_policy(
        iam_client, account=account, name=PERMISSIONS_BOUNDARY, document=permissions_boundary()
    )
    policy_arn = upsert_managed_policy(
        iam_client,
        account=account,
        name=EXECUTION_POLICY,
        document=execution_policy(account=account),
    )
    return run(
        bootstrap_command(cdk, account=account, regions=regions, execution_policy_arn=policy_arn)
    )
