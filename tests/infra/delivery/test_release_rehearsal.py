"""A rehearsal of a deploy under the narrowed execution policy: every action CloudFormation's
handlers call to create, update or delete each resource of every synthesized stack (prod and
dev, both regions) is allowed, or is on one of two lists: the guardrails' denies (the key
administrator's path) and what the handlers list for properties the templates do not set.

Both lists are exact, so a new resource type or property that needs a new action fails here,
before a deploy does. Where the resource is not the template resource's own ARN (another
service's call, or a type without a derived ARN) the check is at the action level
(tests/infra/delivery/policy_simulation.py).
"""

from __future__ import annotations

from collections import defaultdict
from fnmatch import fnmatchcase

import pytest

from infra.delivery import bootstrap
from tests.infra.delivery.policy_simulation import (
    ACCOUNT,
    Decision,
    bucket_policy_arn,
    evaluate,
    handler_permissions,
    resource_arn,
)

# The handlers' actions the release path may not take: changes to these controls are made as
# the key administrator (docs/decisions/security-release-path-separation.md).
GUARDED = {
    "CloudTrail:DeleteTrail": "NeverNarrowOrStopTheTrail",
    "CloudTrail:PutEventSelectors": "NeverNarrowOrStopTheTrail",
    "CloudTrail:StopLogging": "NeverNarrowOrStopTheTrail",
    "guardduty:DeleteDetector": "NeverDisableThreatDetection",
    "guardduty:UpdateDetector": "NeverDisableThreatDetection",
    "config:DeleteConfigurationRecorder": "NeverStopTheConfigurationRecorder",
    "config:DeleteDeliveryChannel": "NeverStopTheConfigurationRecorder",
    "securityhub:DisableSecurityHub": "NeverDisableSecurityHub",
    "kms:DisableKey": "NeverAdministerTheKeys",
    "kms:PutKeyPolicy": "NeverAdministerTheKeys",
    "kms:ScheduleKeyDeletion": "NeverAdministerTheKeys",
    "s3:DeleteBucket": "NeverDeleteOrRepolicyTheEvidenceBuckets",
    "s3:DeleteBucketPolicy": "NeverDeleteOrRepolicyTheEvidenceBuckets",
    "s3:PutBucketObjectLockConfiguration": "NeverDeleteOrRepolicyTheEvidenceBuckets",
    "s3:PutBucketPolicy": "NeverDeleteOrRepolicyTheEvidenceBuckets",
    "s3:PutBucketVersioning": "NeverDeleteOrRepolicyTheEvidenceBuckets",
    "s3:PutLifecycleConfiguration": "NeverDeleteOrRepolicyTheEvidenceBuckets",
    "s3:PutObjectLockConfiguration": "NeverDeleteOrRepolicyTheEvidenceBuckets",
    "iam:DeleteRolePermissionsBoundary": "NeverLoosenTheGuardrails",
}
_KEY_ADMINISTRATION = "the keys' own administration: the key administrator's path"
_NOT_SET = "a property no template sets"
# The handlers' actions the release path is not given (an implicit deny), and why.
NOT_GIVEN = {
    # Keys are created and changed as the key administrator (its path creates them too).
    "kms:CreateKey": _KEY_ADMINISTRATION,
    "kms:DisableKeyRotation": _KEY_ADMINISTRATION,
    "kms:EnableKey": _KEY_ADMINISTRATION,
    "kms:EnableKeyRotation": _KEY_ADMINISTRATION,
    "kms:UpdateKeyDescription": _KEY_ADMINISTRATION,
    "kms:RevokeGrant": _KEY_ADMINISTRATION,  # Firehose revokes only when its key changes
    # KMS's update handler logs and skips a tag change it is not authorized for.
    "kms:TagResource": "tags on keys: skipped by the handler when denied",
    "kms:UntagResource": "tags on keys: skipped by the handler when denied",
    "securityhub:BatchDisableStandards": "narrows Security Hub: the key administrator's path",
    "securityhub:UpdateStandardsControl": "narrows Security Hub: the key administrator's path",
    "backup:DeleteBackupVault": "vaults are retained (RetainExceptOnCreate)",
    "backup:DeleteBackupVaultAccessPolicy": "vaults are retained (RetainExceptOnCreate)",
    "backup:DeleteBackupVaultLockConfiguration": "a vault lock is never removed",
    # Policies attach to roles only.
    **{
        f"iam:{verb}{kind}Policy": "the templates attach policies to roles only"
        for verb in ("Attach", "Detach", "Delete", "Get", "Put")
        for kind in ("Group", "User")
    },
    "iam:DescribeOrganization": "no organization-wide WAF logging",
    "organizations:DescribeOrganization": "the trail is no organization trail",
    "organizations:ListAWSServiceAccessForOrganization": "the trail is no organization trail",
    "CloudTrail:PutEventConfiguration": _NOT_SET,
    "route53:CreateQueryLoggingConfig": "the private zone of the origin name logs no queries",
    "route53:DeleteQueryLoggingConfig": "the private zone of the origin name logs no queries",
    "route53:UpdateHostedZoneFeatures": _NOT_SET,
    "acm-pca:GetCertificate": "public certificates: no private CA",
    "acm-pca:GetCertificateAuthorityCertificate": "public certificates: no private CA",
    "acm-pca:IssueCertificate": "public certificates: no private CA",
    "cloudfront:CreateConnectionGroup": "no Anycast static IP connection group",
    "payments:GetConnectedAccount": "no paid managed rule group subscription",
    "autoscaling:DescribeTags": "flow logs of a VPC, not of an Auto Scaling group",
    "ec2:AttachVpnGateway": "an internet gateway, no VPN gateway",
    "ec2:DetachVpnGateway": "an internet gateway, no VPN gateway",
    "ec2:CreateVpcEncryptionControl": _NOT_SET,
    "ec2:ModifyVpcTenancy": "default tenancy",
    "vpc-lattice:CreateServiceNetworkVpcEndpointAssociation": "no VPC Lattice network",
    "vpc-lattice:DescribeServiceNetworkVpcEndpointAssociation": "no VPC Lattice network",
    "vpce:AllowMultiRegion": "endpoints to in-region services",
    "ecs:PutAccountSetting": "account-wide ECS settings: none set",
    "ecs:PutAccountSettingDefault": "account-wide ECS settings: none set",
    "firehose:PutRecord": "the cache logs to CloudWatch Logs, not Firehose",
    "firehose:PutRecordBatch": "the cache logs to CloudWatch Logs, not Firehose",
    "logs:PutLogEvents": "CloudFormation writes no log events (the services do)",
    "elasticfilesystem:DescribeMountTargets": "functions mount no file system",
    "s3files:ListMountTargets": "functions mount no file system",
    # The API GetLayerVersionByArn is authorized as lambda:GetLayerVersion (ReadTheResources).
    "lambda:GetLayerVersionByArn": "not an IAM action: authorized as lambda:GetLayerVersion",
    "lambda:AssociateRuntimeAlias": _NOT_SET,
    "lambda:PassCapacityProvider": _NOT_SET,
    "lambda:PutFunctionScalingConfig": _NOT_SET,
    "lambda:PutFunctionCodeSigningConfig": _NOT_SET,
    "lambda:DeleteFunctionCodeSigningConfig": _NOT_SET,
    "lambda:PutProvisionedConcurrencyConfig": "scalable targets are ECS services",
    "lambda:DeleteProvisionedConcurrencyConfig": "scalable targets are ECS services",
    "logs:PutDataProtectionPolicy": _NOT_SET,
    "logs:DeleteDataProtectionPolicy": _NOT_SET,
    "logs:PutIndexPolicy": _NOT_SET,
    "logs:DeleteIndexPolicy": _NOT_SET,
    "logs:PutBearerTokenAuthentication": _NOT_SET,
    "logs:PutLogGroupDeletionProtection": _NOT_SET,
    "s3:REST.PUT.OBJECT": "not an IAM action",
    "s3:PutObject": "CloudFormation writes no objects",
    "s3:PutObjectAcl": "CloudFormation writes no objects",
    "s3:DeleteObject": "CloudFormation deletes no objects",
    "s3:PutAccelerateConfiguration": _NOT_SET,
    "s3:PutAnalyticsConfiguration": _NOT_SET,
    "s3:CreateBucketMetadataTableConfiguration": _NOT_SET,
    **{
        f"s3:UpdateBucketMetadata{kind}TableConfiguration": _NOT_SET
        for kind in ("Annotation", "Inventory", "Journal")
    },
    **{
        f"s3tables:{action}": "no S3 table bucket"
        for action in (
            "CreateNamespace",
            "CreateTable",
            "CreateTableBucket",
            "GetTable",
            "GetTableMetadataLocation",
            "PutTableBucketPolicy",
            "PutTableEncryption",
            "PutTablePolicy",
            "UpdateTableMetadataLocation",
        )
    },
    **{
        f"rds:{action}": "no restore, read replica, Data API or backup replication is set"
        for action in (
            "CreateDBInstanceReadReplica",
            "DisableHttpEndpoint",
            "EnableHttpEndpoint",
            "PromoteReadReplica",
            "RestoreDBClusterFromSnapshot",
            "RestoreDBClusterToPointInTime",
            "RestoreDBInstanceFromDBSnapshot",
            "RestoreDBInstanceToPointInTime",
            "StartDBInstanceAutomatedBackupsReplication",
            "StopDBInstanceAutomatedBackupsReplication",
        )
    },
    "docdb-elastic:GetCluster": "secret attachments target Aurora",
    "redshift:DescribeClusters": "secret attachments target Aurora",
    "redshift-serverless:GetNamespace": "secret attachments target Aurora",
    "redshift-serverless:ListWorkgroups": "secret attachments target Aurora",
    "route53-recovery-control-config:DescribeRoutingControl": "the health check is HTTPS",
    "autoloop:AllowVendedLogDeliveryForResource": "the delivery source is CloudFront's",
    "codewhisperer:AllowVendedLogDeliveryForResource": "the delivery source is CloudFront's",
    "workmail:AllowVendedLogDeliveryForResource": "the delivery source is CloudFront's",
}


def _refused(result) -> dict[str, set[str]]:
    """Each handler action the execution policy refuses somewhere, with the deciding Sid."""
    policy = bootstrap.execution_policy(account=ACCOUNT)
    refused: dict[str, set[str]] = defaultdict(set)
    for stack in result.stacks.values():
        template = stack.template
        for logical_id, resource in template["Resources"].items():
            for action in handler_permissions(resource["Type"]):
                if resource["Type"] == "AWS::S3::BucketPolicy" and action.startswith("s3:"):
                    arn = bucket_policy_arn(stack.name, template, resource)
                else:
                    arn = resource_arn(stack.name, stack.region, logical_id, resource, action)
                decision = evaluate(policy, action, arn)
                if not decision.allowed:
                    refused[action].add(decision.statement or "implicit")
    return refused


@pytest.mark.parametrize("env_name", ["prod", "dev"])
def test_every_action_the_templates_need_is_allowed_or_deliberately_refused(request, env_name):
    refused = _refused(request.getfixturevalue(env_name))
    unexpected = {
        action: sids
        for action, sids in refused.items()
        if action not in GUARDED and action not in NOT_GIVEN
    }
    assert unexpected == {}
    for action, sids in refused.items():
        if action in GUARDED:
            assert sids == {GUARDED[action]}, action
        else:
            assert sids == {"implicit"}, action


def test_every_guarded_action_is_one_a_template_would_call(prod):
    # The list is not padded: each guarded action is a handler's of a prod resource.
    assert set(GUARDED) <= set(_refused(prod))


def test_the_rehearsal_covers_every_resource_type_the_stacks_use(prod, dev):
    types = {
        resource["Type"]
        for result in (prod, dev)
        for stack in result.stacks.values()
        for resource in stack.template["Resources"].values()
    }
    without_schema = {t for t in types if not handler_permissions(t)}
    # Custom resources run as their own functions' roles; CloudFormation only invokes them
    # (lambda:InvokeFunction on pcs* functions). The SAR applications are nested stacks.
    assert without_schema == {
        "AWS::Serverless::Application",
        "Custom::AWS",
        "Custom::CrossRegionExportReader",
        "Custom::CrossRegionExportWriter",
        "Custom::UserPoolKeySet",
        "Custom::VpcRestrictDefaultSG",
    }
    assert len(types) > 90


def _granted_actions(template: dict) -> dict[str, tuple[str, dict[str, str]]]:
    """Every action an IAM policy of the template allows, with the first resource granting it
    and the ``StringEquals`` of its grant (the request context it allows)."""
    granted = {}
    for logical_id, resource in template["Resources"].items():
        properties = resource.get("Properties", {})
        if not resource["Type"].startswith("AWS::IAM::"):
            continue
        documents = [p["PolicyDocument"] for p in properties.get("Policies", [])]
        if "PolicyDocument" in properties:
            documents.append(properties["PolicyDocument"])
        for document in documents:
            for statement in document["Statement"]:
                actions = statement["Action"]
                for action in [actions] if isinstance(actions, str) else actions:
                    if statement["Effect"] == "Allow":
                        context = statement.get("Condition", {}).get("StringEquals", {})
                        granted.setdefault(action, (logical_id, context))
    return granted


@pytest.mark.parametrize("env_name", ["prod", "dev"])
def test_the_boundary_leaves_every_role_what_its_own_policies_grant(request, env_name):
    # The AWS managed policies some roles attach (AWS_ConfigRole, the Backup and RDS monitoring
    # roles' and Lambda's basic execution) are not in the templates and not checked here.
    boundary = bootstrap.permissions_boundary(account=ACCOUNT)
    refused = {
        action: logical_id
        for stack in request.getfixturevalue(env_name).stacks.values()
        for action, (logical_id, context) in _granted_actions(stack.template).items()
        if not evaluate(boundary, action, None, context).allowed
    }
    # The deploy role's assumption of the CDK bootstrap roles: the guardrail exempts it by
    # aws:PrincipalArn (a condition this evaluator does not read; asserted below).
    assert refused == {"sts:AssumeRole": "GithubDeployRoleDefaultPolicyB7D2300B"}


@pytest.mark.parametrize("document", ["execution", "boundary"])
def test_no_platform_role_nor_cloudformation_may_write_the_traffic_switch(document):
    """Only an operator's ops.dr moves the site: every role of the stacks carries the boundary,
    and CloudFormation runs under the execution policy; both deny the switch's namespace."""
    policy = (
        bootstrap.execution_policy(account=ACCOUNT)
        if document == "execution"
        else bootstrap.permissions_boundary(account=ACCOUNT)
    )
    write = "cloudwatch:PutMetricData"
    assert evaluate(policy, write, None, {"cloudwatch:namespace": "PCS/Traffic"}) == Decision(
        False, "NeverMoveTraffic"
    )
    celery = evaluate(policy, write, None, {"cloudwatch:namespace": "PCS/Celery"})
    assert celery.statement != "NeverMoveTraffic"


def test_only_the_deploy_role_may_assume_a_role_and_only_the_bootstrap_roles(prod):
    boundary = bootstrap.permissions_boundary(account=ACCOUNT)
    (never,) = [s for s in boundary["Statement"] if s["Sid"] == "NeverAssumeRoles"]
    exempt = never["Condition"]["ArnNotLike"]["aws:PrincipalArn"]
    deploy_role = prod.config.names.deploy_role
    assert exempt == f"arn:aws:iam::{ACCOUNT}:role/*-github-deploy"
    assert fnmatchcase(f"arn:aws:iam::{ACCOUNT}:role/{deploy_role}", exempt)
    (allowed,) = [s for s in boundary["Statement"] if s["Sid"] == "DeployThroughTheBootstrapRoles"]
    assert allowed["Resource"] == f"arn:aws:iam::{ACCOUNT}:role/cdk-hnb659fds-*"
