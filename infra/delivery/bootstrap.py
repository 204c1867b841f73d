"""The CDK bootstrap the platform deploys through: a least-privilege CloudFormation execution
policy, the guardrails the release path cannot cross, and the permissions boundary every role
the stacks create carries.

`cdk bootstrap` alone gives CloudFormation AdministratorAccess. ``make bootstrap`` instead
creates (or updates) account-wide managed policies from the documents below and bootstraps both
regions with ``--cloudformation-execution-policies`` naming the execution policies and the
guardrails. CloudFormation may then create and update the platform's resources by resource
family, scoped to the platform's names (``pcs-``) where the service's ARNs carry a name, and may
create roles only with the boundary (cdk.json's ``@aws-cdk/core:permissionsBoundary`` puts it
on every role of the app).

The guardrails deny, to the execution role and to every bounded role, what would switch off the
audit controls or administer the keys (AC-5, AC-6, AU-9, CM-5, SC-12). Those changes are made on
the key administrator's path (docs/decisions/security-release-path-separation.md): CloudFormation
acting as the deployment's key administrator role, which carries the execution policies and the
guarded-controls policy but no guardrails.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from infra.identity.pool_admin.pool_operations import ACTIONS as POOL_ADMIN_ACTIONS
from infra.names import TRAFFIC_SWITCH_NAMESPACE

EXECUTION_POLICY = "pcs-cdk-execution"
GUARDRAILS_POLICY = "pcs-release-guardrails"
GUARDED_CONTROLS_POLICY = "pcs-guarded-controls"
# The CDK bootstrap's default qualifier; `cdk deploy` assumes its roles (docs/deploy.md).
CDK_QUALIFIER = "hnb659fds"
PERMISSIONS_BOUNDARY = "pcs-permissions-boundary"
# Every stack, and so every role and managed policy CloudFormation names after its stack.
RESOURCE_PREFIX = "pcs-"
GITHUB_OIDC_HOST = "token.actions.githubusercontent.com"
# IAM's limit on a managed policy document (characters, whitespace excluded).
MANAGED_POLICY_LIMIT = 6144

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
    "AWS::IAM": "iam",
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
    "AWS::Serverless": "serverlessrepo",
    "AWS::Synthetics": "synthetics",  # the rotation functions: SAR nested stacks
    "AWS::WAFv2": "wafv2",
    "Custom::": "lambda",  # custom resources are Lambda-backed
}
# The rotation functions' roles come from the Serverless Application Repository's templates,
# which take no boundary: CloudFormation may create those (and only those) without it.
UNBOUNDED_ROLE_PATTERN = f"{RESOURCE_PREFIX}*-AuroraRotation*"

# The buckets that keep the evidence: access and flow logs and the log groups' locked copies,
# the audit archive, the backups (and their DR replicas). Bucket ARNs carry no account: names
# do (infra/names.py).
# WAF delivers only to buckets named aws-waf-logs-* (AWS's rule), so its locked log bucket
# carries that prefix before the platform's.
WAF_LOG_BUCKETS = f"aws-waf-logs-{RESOURCE_PREFIX}*"
PROTECTED_BUCKETS = (
    f"{RESOURCE_PREFIX}*log*",
    f"{RESOURCE_PREFIX}*-audit-*",
    f"{RESOURCE_PREFIX}*-backups-*",
    WAF_LOG_BUCKETS,
)

# What the release path may never do: each entry is (sid, actions, resource kind).
# "*" resources: the audit services' calls act on the account's only detector, recorder, hub.
AUDIT_CONTROL_DENIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "NeverNarrowOrStopTheTrail",
        ("cloudtrail:DeleteTrail", "cloudtrail:PutEventSelectors", "cloudtrail:StopLogging"),
    ),
    ("NeverDisableThreatDetection", ("guardduty:DeleteDetector", "guardduty:UpdateDetector")),
    (
        "NeverStopTheConfigurationRecorder",
        (
            "config:DeleteConfigurationRecorder",
            "config:DeleteDeliveryChannel",
            "config:StopConfigurationRecorder",
        ),
    ),
    ("NeverDisableSecurityHub", ("securityhub:DisableSecurityHub",)),
    (
        "NeverAdministerTheKeys",
        ("kms:DisableKey", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"),
    ),
)
# Deletion or policy replacement of the evidence buckets, and shortening what they keep.
BUCKET_DENIES = (
    "s3:DeleteBucket",
    "s3:DeleteBucketPolicy",
    "s3:PutBucketObjectLockConfiguration",
    "s3:PutBucketPolicy",
    "s3:PutBucketVersioning",
    "s3:PutLifecycleConfiguration",
    "s3:PutObjectLockConfiguration",
)

# The services each platform role is passed to (iam:PassedToService): ECS tasks and services,
# Lambda, the log and audit services, Backup, RDS enhanced monitoring, Firehose, Config,
# replication, Cognito's SMS/log delivery and the autoscaling of ECS services.
PASSED_TO_SERVICES = (
    "application-autoscaling.amazonaws.com",
    "backup.amazonaws.com",
    "cloudtrail.amazonaws.com",
    "config.amazonaws.com",
    "ecs-tasks.amazonaws.com",
    "ecs.amazonaws.com",
    "events.amazonaws.com",
    "firehose.amazonaws.com",
    "lambda.amazonaws.com",
    "logs.amazonaws.com",  # subscription filters put events into the log-copies stream
    "monitoring.rds.amazonaws.com",
    "rds.amazonaws.com",
    "s3.amazonaws.com",
    "vpc-flow-logs.amazonaws.com",
)

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
    "iam:ListEntitiesForPolicy",
    "iam:ListPolicyVersions",
    "iam:TagPolicy",
    "iam:UntagPolicy",
)
OIDC_PROVIDER_ADMINISTRATION = (
    "iam:AddClientIDToOpenIDConnectProvider",
    "iam:CreateOpenIDConnectProvider",
    "iam:DeleteOpenIDConnectProvider",
    "iam:GetOpenIDConnectProvider",
    "iam:ListOpenIDConnectProviderTags",
    "iam:RemoveClientIDFromOpenIDConnectProvider",
    "iam:TagOpenIDConnectProvider",
    "iam:UntagOpenIDConnectProvider",
    "iam:UpdateOpenIDConnectProviderThumbprint",
)

# Reading is not changing: every family's Describe/Get/List the handlers call, on "*" (most
# have no resource-level permissions). No read of data: no s3:GetObject but the CDK assets',
# no secretsmanager:GetSecretValue but the platform's secrets', no logs:GetLogEvents.
READ_ACTIONS = (
    "acm:DescribeCertificate",
    "application-autoscaling:Describe*",
    "application-autoscaling:ListTagsForResource",
    "backup:DescribeBackupVault",
    "backup:GetBackup*",
    "backup:ListTags",
    "cloudformation:Describe*",
    "cloudformation:GetTemplate*",
    "cloudformation:List*",
    "cloudfront:DescribeFunction",
    "cloudfront:Get*",
    "cloudfront:ListTagsForResource",
    "cloudtrail:DescribeTrails",
    "cloudtrail:GetEventSelectors",
    "cloudtrail:GetTrail*",
    "cloudtrail:ListTags",
    "cloudwatch:DescribeAlarms",
    "cloudwatch:GetDashboard",
    "cloudwatch:GetMetricData",
    "cloudwatch:ListTagsForResource",
    "cognito-idp:Describe*",
    "cognito-idp:GetLogDeliveryConfiguration",
    "cognito-idp:GetUserPoolMfaConfig",
    "cognito-idp:ListTagsForResource",
    "config:Describe*",
    "config:ListTagsForResource",
    "ec2:Describe*",
    "ecr:DescribeRe*",
    "ecs:Describe*",
    "ecs:List*",
    "elasticache:Describe*",
    "elasticache:ListTagsForResource",
    "elasticloadbalancing:Describe*",
    "events:DescribeRule",
    "events:ListTargetsByRule",
    "firehose:Describe*",
    "firehose:List*",
    "guardduty:GetDetector",
    "guardduty:ListDetectors",
    "iam:ListRoles",
    "kafka:Describe*",
    "kms:DescribeKey",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListAliases",
    "kms:ListResourceTags",
    "lambda:GetFunction*",
    "lambda:GetLayerVersion",
    "lambda:GetProvisionedConcurrencyConfig",
    "lambda:GetRuntimeManagementConfig",
    "lambda:GetCodeSigningConfig",
    "logs:Describe*",
    "logs:GetDataProtectionPolicy",
    "logs:GetDeliver*",
    "logs:GetLogDelivery",
    "logs:ListLogDeliveries",
    "logs:ListTagsForResource",
    "rds:Describe*",
    "rds:ListTagsForResource",
    "route53:GetChange",
    "route53:GetHostedZone",
    "route53:ListHostedZones",
    "route53:ListQueryLoggingConfigs",
    "route53:ListResourceRecordSets",
    "route53:ListTagsForResource",
    "secretsmanager:DescribeSecret",
    "secretsmanager:GetRandomPassword",
    "secretsmanager:GetResourcePolicy",
    "securityhub:DescribeHub",
    "securityhub:GetEnabledStandards",
    "securityhub:ListTagsForResource",
    "serverlessrepo:GetApplication",
    "serverlessrepo:GetCloudFormationTemplate",
    "sns:Get*",
    "sns:List*",
    "wafv2:Get*",
    "wafv2:ListTagsForResource",
)

# Families whose ARNs carry an AWS-generated id (VPCs, subnets, groups, endpoints, load
# balancer listeners, distributions, user pools, certificates): not scopable by name.
UNNAMED_WRITES = {
    "NetworkByFamily": (
        "ec2:*Address*",
        "ec2:*FlowLogs",
        "ec2:*InternetGateway",
        "ec2:*NatGateway*",
        "ec2:*Route",
        "ec2:*RouteTable*",
        "ec2:*SecurityGroup*",
        "ec2:*Subnet*",
        "ec2:*VpcEndpoint*",
        "ec2:CreateTags",
        "ec2:CreateVpc",
        "ec2:DeleteTags",
        "ec2:DeleteVpc",
        "ec2:ModifyVpcAttribute",
    ),
    "LoadBalancersByFamily": (
        "elasticloadbalancing:*Listener*",
        "elasticloadbalancing:*Rule*",
        "elasticloadbalancing:*TargetGroup*",
        "elasticloadbalancing:*Targets",
        "elasticloadbalancing:*Tags",
        "elasticloadbalancing:CreateLoadBalancer",
        "elasticloadbalancing:DeleteLoadBalancer",
        "elasticloadbalancing:Modify*",
        "elasticloadbalancing:Set*",
    ),
    "EdgeByFamily": (
        "acm:AddTagsToCertificate",
        "acm:DeleteCertificate",
        "acm:RemoveTagsFromCertificate",
        "acm:RequestCertificate",
        "acm:UpdateCertificateOptions",
        "cloudfront:*CachePolicy",
        "cloudfront:*Distribution*",
        "cloudfront:*Function",
        "cloudfront:*ResponseHeadersPolicy",
        "cloudfront:TagResource",
        "cloudfront:UntagResource",
        # The origin name's private zone in each VPC (infra/edge/origin_entry.py).
        "route53:AssociateVPCWithHostedZone",
        "route53:ChangeResourceRecordSets",
        "route53:ChangeTagsForResource",
        "route53:CreateHostedZone",
        "route53:DeleteHostedZone",
        "route53:DisassociateVPCFromHostedZone",
        "route53:*HealthCheck",
        "route53:UpdateHostedZoneComment",
        "wafv2:*LoggingConfiguration",
        "wafv2:*WebACL",
        "wafv2:TagResource",
        "wafv2:UntagResource",
    ),
    "IdentityByFamily": (
        "cognito-idp:AddCustomAttributes",
        "cognito-idp:*ManagedLoginBranding",
        "cognito-idp:*UserPool",
        "cognito-idp:*UserPoolClient",
        "cognito-idp:*UserPoolDomain",
        "cognito-idp:SetLogDeliveryConfiguration",
        "cognito-idp:SetRiskConfiguration",
        "cognito-idp:SetUserPoolMfaConfig",
        "cognito-idp:TagResource",
        "cognito-idp:UntagResource",
    ),
    "ScalingByFamily": (
        "application-autoscaling:*ScalableTarget",
        "application-autoscaling:*ScalingPolicy",
        "application-autoscaling:*ScheduledAction",
        "application-autoscaling:TagResource",
        "application-autoscaling:UntagResource",
    ),
    # Backup plans and selections have generated ids; the vaults are named (below).
    "BackupPlansByFamily": (
        "backup:*BackupPlan",
        "backup:*BackupSelection",
        "backup:TagResource",
        "backup:UntagResource",
    ),
    # The audit services act on the account's single detector, recorder and hub. Creating
    # and tagging them; what would stop or narrow them is in the guardrails.
    "AuditServicesByFamily": (
        "cloudtrail:AddTags",
        "cloudtrail:CreateTrail",
        "cloudtrail:PutInsightSelectors",
        "cloudtrail:RemoveTags",
        "cloudtrail:StartLogging",
        "cloudtrail:UpdateTrail",
        "config:*ConformancePack",
        "config:PutConfigurationRecorder",
        "config:PutDeliveryChannel",
        "config:StartConfigurationRecorder",
        "config:TagResource",
        "config:UntagResource",
        "guardduty:CreateDetector",
        "guardduty:TagResource",
        "guardduty:UntagResource",
        "securityhub:BatchEnableStandards",
        "securityhub:EnableSecurityHub",
        "securityhub:TagResource",
        "securityhub:UntagResource",
        "securityhub:UpdateSecurityHubConfiguration",
    ),
    # Keys' own administration is the key administrator's (key policies); this is only what
    # the services the stacks create ask of a key on the caller's behalf, and the aliases.
    "KeyUseForEncryptedResources": (
        "kms:CreateGrant",
        "kms:Decrypt",
        "kms:Encrypt",
        "kms:GenerateDataKey*",
        "kms:ReEncrypt*",
        "kms:RetireGrant",
    ),
}


def cloudformation_execution_role(account: str, region: str) -> str:
    """The name of the role CloudFormation deploys the stacks of ``region`` with (bootstrap)."""
    return f"cdk-{CDK_QUALIFIER}-cfn-exec-role-{account}-{region}"


def _arn(partition: str, service: str, account: str, resource: str, region: str = "*") -> str:
    return f"arn:{partition}:{service}:{region}:{account}:{resource}"


def _iam_arn(partition: str, account: str, resource: str) -> str:
    return _arn(partition, "iam", account, resource, region="")


def _bucket_arns(partition: str, patterns: Sequence[str]) -> list[str]:
    return [f"arn:{partition}:s3:::{pattern}" for pattern in patterns]


def _allow(sid: str, actions: Sequence[str], resources: Sequence[str] | str) -> dict[str, Any]:
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Action": sorted(actions),
        "Resource": resources if isinstance(resources, str) else list(resources),
    }


def _named_writes(partition: str, account: str) -> list[dict[str, Any]]:
    """Writes on resources whose ARN carries the name the platform gives them (``pcs-...``)."""
    prefix = RESOURCE_PREFIX
    arn = lambda service, resource: _arn(partition, service, account, resource)  # noqa: E731
    return [
        _allow(
            "PlatformBuckets",
            (
                "s3:CreateBucket",
                "s3:DeleteBucket*",
                "s3:GetBucket*",
                "s3:GetEncryptionConfiguration",
                "s3:GetLifecycleConfiguration",
                "s3:GetReplicationConfiguration",
                "s3:ListBucket",
                "s3:PutBucket*",
                "s3:PutEncryptionConfiguration",
                "s3:PutIntelligentTieringConfiguration",
                "s3:PutInventoryConfiguration",
                "s3:PutLifecycleConfiguration",
                "s3:PutMetricsConfiguration",
                "s3:PutObjectLockConfiguration",
                "s3:PutReplicationConfiguration",
                "s3:TagResource",
                "s3:UntagResource",
            ),
            _bucket_arns(partition, (f"{prefix}*", WAF_LOG_BUCKETS)),
        ),
        _allow(
            "ReadTheCdkAssets",  # Lambda code and nested templates the CLI uploaded
            ("s3:GetObject", "s3:GetObjectVersion"),
            _bucket_arns(partition, (f"cdk-{CDK_QUALIFIER}-assets-{account}-*/*",)),
        ),
        _allow(
            "PlatformLogGroups",
            (
                "logs:AssociateKmsKey",
                "logs:CreateLogGroup",
                "logs:CreateLogStream",
                "logs:DeleteLogGroup",
                "logs:DeleteLogStream",
                "logs:DeleteRetentionPolicy",
                "logs:DisassociateKmsKey",
                "logs:DeleteSubscriptionFilter",
                "logs:PutRetentionPolicy",
                "logs:PutSubscriptionFilter",
                "logs:TagResource",
                "logs:UntagResource",
            ),
            [arn("logs", f"log-group:*{prefix}*")],
        ),
        _allow(
            "PlatformLogDeliveries",  # CloudFront, WAF, Cognito and ElastiCache log delivery
            (
                "logs:CreateDelivery",
                "logs:CreateLogDelivery",
                "logs:DeleteDelivery*",
                "logs:DeleteLogDelivery",
                "logs:PutDelivery*",
                "logs:PutResourcePolicy",
                "logs:DeleteResourcePolicy",
                "logs:UpdateDeliveryConfiguration",
                "logs:UpdateLogDelivery",
                "logs:TagResource",
                "logs:UntagResource",
            ),
            "*",  # delivery sources and destinations are account-level; log groups above
        ),
        _allow(
            "VendedLogDeliveryToPlatformResources",
            (
                "cloudfront:AllowVendedLogDeliveryForResource",
                "logs:AllowVendedLogDeliveryForResource",
            ),
            "*",
        ),
        _allow(
            "PlatformSecrets",
            (
                "secretsmanager:CancelRotateSecret",
                "secretsmanager:CreateSecret",
                "secretsmanager:DeleteResourcePolicy",
                "secretsmanager:DeleteSecret",
                "secretsmanager:GetSecretValue",  # rotation set-up reads the new secret
                "secretsmanager:PutResourcePolicy",
                "secretsmanager:PutSecretValue",
                "secretsmanager:RemoveRegionsFromReplication",
                "secretsmanager:ReplicateSecretToRegions",
                "secretsmanager:RotateSecret",
                "secretsmanager:TagResource",
                "secretsmanager:UntagResource",
                "secretsmanager:UpdateSecret",
            ),
            [arn("secretsmanager", f"secret:{prefix}*")],
        ),
        _allow(
            "PlatformFunctions",  # names pcs-... and the rotation applications' pcs<env>...
            (
                "lambda:AddPermission",
                "lambda:CreateFunction",
                "lambda:DeleteFunction",
                "lambda:DeleteFunctionConcurrency",
                "lambda:InvokeFunction",  # custom resources
                "lambda:PublishVersion",
                "lambda:PutFunctionConcurrency",
                "lambda:PutFunctionRecursionConfig",
                "lambda:PutRuntimeManagementConfig",
                "lambda:RemovePermission",
                "lambda:TagResource",
                "lambda:UntagResource",
                "lambda:UpdateFunctionCode",
                "lambda:UpdateFunctionConfiguration",
            ),
            [arn("lambda", f"function:{prefix.rstrip('-')}*")],
        ),
        # Synthetics creates each canary's function and layer (cwsyn-<canary>-<id>) with the
        # caller's permissions; the canaries are named pcs-<env>-... (infra/monitoring/canary.py).
        _allow(
            "PlatformCanaries",
            (
                "synthetics:CreateCanary",
                "synthetics:DeleteCanary",
                "synthetics:GetCanary",
                "synthetics:GetCanaryRuns",
                "synthetics:ReplicateCanary",
                "synthetics:StartCanary",
                "synthetics:StartCanaryDryRun",
                "synthetics:StopCanary",
                "synthetics:TagResource",
                "synthetics:UntagResource",
                "synthetics:UpdateCanary",
            ),
            [arn("synthetics", f"canary:{prefix}*")],
        ),
        _allow(
            "PlatformCanariesFunctionsAndLayers",
            (
                "lambda:AddPermission",
                "lambda:CreateFunction",
                "lambda:DeleteFunction",
                "lambda:DeleteLayerVersion",
                "lambda:ListTags",
                "lambda:PublishLayerVersion",
                "lambda:PublishVersion",
                "lambda:TagResource",
                "lambda:UntagResource",
                "lambda:UpdateFunctionCode",
                "lambda:UpdateFunctionConfiguration",
            ),
            [
                arn("lambda", f"function:cwsyn-{prefix}*"),
                arn("lambda", f"layer:cwsyn-{prefix}*"),
            ],
        ),
        _allow(
            "PlatformTopics",
            (
                "sns:CreateTopic",
                "sns:DeleteTopic",
                "sns:PutDataProtectionPolicy",
                "sns:SetSubscriptionAttributes",
                "sns:SetTopicAttributes",
                "sns:Subscribe",
                "sns:TagResource",
                "sns:Unsubscribe",
                "sns:UntagResource",
            ),
            [arn("sns", f"{prefix}*")],
        ),
        _allow(
            "PlatformAlarmsAndDashboards",
            (
                "cloudwatch:DeleteAlarms",
                "cloudwatch:DeleteDashboards",
                "cloudwatch:PutCompositeAlarm",
                "cloudwatch:PutDashboard",
                "cloudwatch:PutMetricAlarm",
                "cloudwatch:TagResource",
                "cloudwatch:UntagResource",
            ),
            [
                arn("cloudwatch", f"alarm:{prefix}*"),
                _arn(partition, "cloudwatch", account, f"dashboard/{prefix}*", region=""),
            ],
        ),
        _allow(
            "PlatformRules",
            (
                "events:DeleteRule",
                "events:PutRule",
                "events:PutTargets",
                "events:RemoveTargets",
                "events:TagResource",
                "events:UntagResource",
            ),
            [arn("events", f"rule/{prefix}*")],
        ),
        _allow(
            "PlatformDeliveryStreams",
            (
                "firehose:CreateDeliveryStream",
                "firehose:DeleteDeliveryStream",
                "firehose:StartDeliveryStreamEncryption",
                "firehose:StopDeliveryStreamEncryption",
                "firehose:TagDeliveryStream",
                "firehose:UntagDeliveryStream",
                "firehose:UpdateDestination",
            ),
            [arn("firehose", f"deliverystream/{prefix}*")],
        ),
        _allow(
            "PlatformRepositories",
            (
                "ecr:CreateRepository",
                "ecr:DeleteLifecyclePolicy",
                "ecr:DeleteRepository",
                "ecr:DeleteRepositoryPolicy",
                "ecr:PutImageScanningConfiguration",
                "ecr:PutImageTagMutability",
                "ecr:PutLifecyclePolicy",
                "ecr:SetRepositoryPolicy",
                "ecr:TagResource",
                "ecr:UntagResource",
            ),
            [arn("ecr", f"repository/{prefix}*")],
        ),
        _allow(
            "ImageReplication",  # the registry's replication configuration (one per account)
            ("ecr:DescribeRegistry", "ecr:PutReplicationConfiguration"),
            "*",
        ),
        _allow(
            "PlatformContainers",
            (
                "ecs:CreateCluster",
                "ecs:CreateService",
                "ecs:DeleteCluster",
                "ecs:DeleteService",
                "ecs:PutClusterCapacityProviders",
                "ecs:StopServiceDeployment",
                "ecs:TagResource",
                "ecs:UntagResource",
                "ecs:UpdateCluster",
                "ecs:UpdateClusterSettings",
                "ecs:UpdateService",
            ),
            [
                arn("ecs", f"cluster/{prefix}*"),
                arn("ecs", f"service/{prefix}*"),
                arn("ecs", f"service-deployment/{prefix}*"),
                arn("ecs", f"task-definition/{prefix}*"),
            ],
        ),
        _allow(
            "TaskDefinitions",  # RegisterTaskDefinition has no resource-level permissions
            ("ecs:DeregisterTaskDefinition", "ecs:RegisterTaskDefinition"),
            "*",
        ),
        _allow(
            "PlatformDatabases",
            (
                "rds:AddRoleToDBCluster",
                "rds:AddRoleToDBInstance",
                "rds:AddTagsToResource",
                "rds:CreateDBCluster",
                "rds:CreateDBClusterEndpoint",
                "rds:CreateDBClusterParameterGroup",
                "rds:CreateDBClusterSnapshot",  # DeletionPolicy Snapshot
                "rds:CreateDBSnapshot",
                "rds:CreateDBInstance",
                "rds:CreateDBParameterGroup",
                "rds:CreateDBSubnetGroup",
                "rds:CreateGlobalCluster",
                "rds:DeleteDBCluster",
                "rds:DeleteDBClusterEndpoint",
                "rds:DeleteDBClusterParameterGroup",
                "rds:DeleteDBInstance",
                "rds:DeleteDBParameterGroup",
                "rds:DeleteDBSubnetGroup",
                "rds:DeleteGlobalCluster",
                "rds:Modify*",
                "rds:RebootDBInstance",
                "rds:RemoveFromGlobalCluster",
                "rds:RemoveRoleFromDBCluster",
                "rds:RemoveRoleFromDBInstance",
                "rds:RemoveTagsFromResource",
                "rds:Reset*ParameterGroup",
            ),
            [
                arn("rds", f"cluster:{prefix}*"),
                arn("rds", f"db:{prefix}*"),
                arn("rds", f"cluster-endpoint:{prefix}*"),
                # Parameter and subnet groups take CloudFormation's generated (stack) names.
                arn("rds", f"cluster-pg:{prefix}*"),
                arn("rds", f"pg:{prefix}*"),
                arn("rds", f"subgrp:{prefix}*"),
                arn("rds", f"cluster-snapshot:{prefix}*"),
                arn("rds", f"snapshot:{prefix}*"),
                # Global clusters have no region in their ARN.
                _arn(partition, "rds", account, f"global-cluster:{prefix}*", region=""),
            ],
        ),
        _allow(
            "PlatformCaches",
            (
                "elasticache:AddTagsToResource",
                "elasticache:CreateCacheCluster",
                "elasticache:CreateCacheSubnetGroup",
                "elasticache:CreateReplicationGroup",
                "elasticache:CreateSnapshot",  # the final snapshot on deletion
                "elasticache:DecreaseReplicaCount",
                "elasticache:DeleteCacheCluster",
                "elasticache:DeleteCacheSubnetGroup",
                "elasticache:DeleteReplicationGroup",
                "elasticache:IncreaseReplicaCount",
                "elasticache:ModifyCacheSubnetGroup",
                "elasticache:ModifyReplicationGroup*",
                "elasticache:RemoveTagsFromResource",
            ),
            [
                arn("elasticache", f"replicationgroup:{prefix}*"),
                arn("elasticache", f"subnetgroup:{prefix}*"),
                arn("elasticache", "cluster:*"),  # the group's nodes: ids ElastiCache derives
                arn("elasticache", "parametergroup:*"),  # the engine's default group
                arn("elasticache", f"snapshot:{prefix}*"),
                arn("elasticache", "securitygroup:*"),
                arn("elasticache", "usergroup:*"),
            ],
        ),
        _allow(
            "PlatformKafka",
            (
                "kafka:CreateCluster*",
                "kafka:CreateConfiguration",
                "kafka:DeleteCluster",
                "kafka:DeleteConfiguration",
                "kafka:TagResource",
                "kafka:UntagResource",
                "kafka:Update*",
            ),
            [
                arn("kafka", f"cluster/{prefix}*"),
                arn("kafka", f"configuration/{prefix}*"),
            ],
        ),
        _allow(
            "PlatformBackupVaults",
            (
                "backup:CreateBackupVault",
                "backup:DeleteBackupVaultNotifications",
                "backup:PutBackupVaultAccessPolicy",
                "backup:PutBackupVaultLockConfiguration",
                "backup:PutBackupVaultNotifications",
                "backup:TagResource",
                "backup:UntagResource",
            ),
            [arn("backup", f"backup-vault:{prefix}*")],
        ),
        _allow("BackupVaultStorage", ("backup-storage:Mount*",), "*"),
        _allow(
            "KeyAliases",  # an alias needs the call allowed on the alias and on the key
            ("kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"),
            [arn("kms", f"alias/{prefix}*"), arn("kms", "key/*")],
        ),
        _allow(
            "CdkBootstrapVersion",
            ("ssm:GetParameters",),
            [arn("ssm", f"parameter/cdk-bootstrap/{CDK_QUALIFIER}/version")],
        ),
        _allow(
            "NestedStacksAndTheRotationApplications",
            (
                "cloudformation:CreateChangeSet",
                "cloudformation:CreateStack",
                "cloudformation:DeleteStack",
                "cloudformation:ExecuteChangeSet",
                "cloudformation:UpdateStack",
                "serverlessrepo:CreateCloudFormationTemplate",
            ),
            [
                arn("cloudformation", f"stack/{prefix}*"),
                arn("cloudformation", "transform/Serverless-2016-10-31"),
                arn("serverlessrepo", "applications/*"),
            ],
        ),
    ]


def _iam_statements(partition: str, account: str) -> list[dict[str, Any]]:
    boundary = _iam_arn(partition, account, f"policy/{PERMISSIONS_BOUNDARY}")
    platform_roles = _iam_arn(partition, account, f"role/{RESOURCE_PREFIX}*")
    return [
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
        _allow("AdministerPlatformRoles", ROLE_ADMINISTRATION, platform_roles),
        _pass_platform_roles(platform_roles),
        _allow(
            "AdministerPlatformManagedPolicies",
            POLICY_ADMINISTRATION,
            _iam_arn(partition, account, f"policy/{RESOURCE_PREFIX}*"),
        ),
        _allow(
            "GithubOidcProvider",
            OIDC_PROVIDER_ADMINISTRATION,
            _iam_arn(partition, account, f"oidc-provider/{GITHUB_OIDC_HOST}"),
        ),
        _allow(
            "ServiceLinkedRoles",
            ("iam:CreateServiceLinkedRole",),
            _iam_arn(partition, account, "role/aws-service-role/*"),
        ),
    ]


def _pass_platform_roles(platform_roles: str) -> dict[str, Any]:
    return {
        "Sid": "PassOnlyPlatformRolesToTheServicesThatTakeThem",
        "Effect": "Allow",
        "Action": ["iam:PassRole"],
        "Resource": platform_roles,
        "Condition": {"StringEquals": {"iam:PassedToService": list(PASSED_TO_SERVICES)}},
    }


def guardrail_statements(*, account: str, partition: str = "aws") -> list[dict[str, Any]]:
    """The explicit denies of the release path: in the execution policy and the boundary."""
    boundary = _iam_arn(partition, account, f"policy/{PERMISSIONS_BOUNDARY}")
    platform_roles = _iam_arn(partition, account, f"role/{RESOURCE_PREFIX}*")
    own_policies = [
        _iam_arn(partition, account, f"policy/{name}")
        for name in (EXECUTION_POLICY, GUARDRAILS_POLICY, GUARDED_CONTROLS_POLICY)
    ]
    return [
        *(
            {"Sid": sid, "Effect": "Deny", "Action": list(actions), "Resource": "*"}
            for sid, actions in AUDIT_CONTROL_DENIES
        ),
        {
            "Sid": "NeverDeleteOrRepolicyTheEvidenceBuckets",
            "Effect": "Deny",
            "Action": list(BUCKET_DENIES),
            "Resource": _bucket_arns(partition, PROTECTED_BUCKETS),
        },
        {
            "Sid": "NeverAssumeRoles",
            "Effect": "Deny",
            "Action": ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"],
            "Resource": "*",
            # The deploy role's one assumption: the CDK bootstrap roles (infra/delivery).
            "Condition": {
                "ArnNotLike": {
                    "aws:PrincipalArn": _iam_arn(partition, account, "role/*-github-deploy")
                }
            },
        },
        {
            # Moving the site between regions is an operator's ops.dr command, never a stack's
            # or a release's (docs/decisions/dr-traffic-dns-failover.md).
            "Sid": "NeverMoveTraffic",
            "Effect": "Deny",
            "Action": ["cloudwatch:PutMetricData"],
            "Resource": "*",
            "Condition": {"StringEquals": {"cloudwatch:namespace": TRAFFIC_SWITCH_NAMESPACE}},
        },
        {
            "Sid": "NeverLoosenTheGuardrails",
            "Effect": "Deny",
            "Action": [
                "iam:CreatePolicyVersion",
                "iam:DeletePolicy",
                "iam:DeletePolicyVersion",
                "iam:DeleteRolePermissionsBoundary",
                "iam:SetDefaultPolicyVersion",
            ],
            "Resource": [platform_roles, boundary, *own_policies],
        },
    ]


def execution_policy(*, account: str, partition: str = "aws") -> dict[str, Any]:
    """Everything CloudFormation may do on the release path, as one document (the allows by
    resource family and the guardrails); :func:`managed_policies` splits it to IAM's size."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            _allow("ReadTheResources", READ_ACTIONS, "*"),
            *(_allow(sid, actions, "*") for sid, actions in UNNAMED_WRITES.items()),
            *_named_writes(partition, account),
            *_iam_statements(partition, account),
            *guardrail_statements(account=account, partition=partition),
        ],
    }


def guarded_controls_policy(*, account: str, partition: str = "aws") -> dict[str, Any]:
    """What the key administrator adds to the execution policies to change a guarded control:
    the guardrails' actions, allowed (the key policies still name only that role)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            _allow(
                "ChangeTheAuditControls",
                [action for _, actions in AUDIT_CONTROL_DENIES for action in actions],
                "*",
            ),
            _allow(
                "ChangeTheEvidenceBuckets",
                BUCKET_DENIES,
                _bucket_arns(partition, PROTECTED_BUCKETS),
            ),
        ],
    }


def permissions_boundary(*, account: str, partition: str = "aws") -> dict[str, Any]:
    """The most any role of the stacks may do: what their own policies grant, by family, with
    the release path's guardrails; no IAM but passing platform roles, no role assumption but
    the deploy role's."""
    platform_roles = _iam_arn(partition, account, f"role/{RESOURCE_PREFIX}*")
    bootstrap_roles = _iam_arn(partition, account, f"role/cdk-{CDK_QUALIFIER}-*")
    return {
        "Version": "2012-10-17",
        "Statement": [
            _allow("RuntimeActions", BOUNDARY_RUNTIME_ACTIONS, "*"),
            # AWS Config's recorder (AWS_ConfigRole) reads every resource it records.
            _allow(
                "ReadTheControlServices",
                [
                    f"{s}:{verb}*"
                    for s in RECORDED_READ_ONLY
                    for verb in ("Describe", "Get", "List")
                ],
                "*",
            ),
            _allow(
                "UseTheKeysThroughTheirPolicies",
                (
                    "kms:CreateGrant",
                    "kms:Decrypt",
                    "kms:DescribeKey",
                    "kms:Encrypt",
                    "kms:GenerateDataKey*",
                    "kms:ReEncrypt*",
                ),
                "*",
            ),
            _allow("ReadRoles", ("iam:GetRole",), platform_roles),
            _pass_platform_roles(platform_roles),
            _allow("DeployThroughTheBootstrapRoles", ("sts:AssumeRole",), bootstrap_roles),
            *guardrail_statements(account=account, partition=partition),
        ],
    }


# What the stacks' roles call at run time (a test checks every action their policies grant is
# here): by service family where the action set is the service's data plane, exact actions
# for the audit, key and identity services.
BOUNDARY_RUNTIME_ACTIONS = (
    "application-autoscaling:*",
    "backup:*",
    "backup-storage:MountCapsule",
    "cloudformation:Describe*",
    "cloudwatch:*",
    # The pool-admin function's member operations (its grant reads the same list).
    *POOL_ADMIN_ACTIONS,
    "config:PutEvaluations",
    "ec2:*",
    "ecr:*",
    "ecs:*",
    "elasticache:*",
    "elasticloadbalancing:*",
    "events:*",
    "firehose:*",
    "kafka:*",
    "kafka-cluster:*",
    "lambda:*",
    "logs:*",
    "rds:*",
    "route53:*",
    "s3:*",
    "secretsmanager:*",
    "sns:*",
    "ssm:*",
    "ssmmessages:*",
    "tag:GetResources",
    "xray:*",
)


# Services whose roles only read at run time (the recorder, the log services).
RECORDED_READ_ONLY = (
    "acm",
    "cloudfront",
    "cloudtrail",
    "cognito-idp",
    "config",
    "guardduty",
    "iam",
    "kms",
    "securityhub",
    "wafv2",
)


def managed_policies(*, account: str, partition: str = "aws") -> dict[str, dict[str, Any]]:
    """The execution policy as IAM managed policies: the allows split into ``pcs-cdk-execution``
    (then ``-2``, ``-3``...) under IAM's size limit, and the guardrails on their own."""
    document = execution_policy(account=account, partition=partition)
    allows = [s for s in document["Statement"] if s["Effect"] == "Allow"]
    denies = [s for s in document["Statement"] if s["Effect"] == "Deny"]
    chunks: list[list[dict[str, Any]]] = [[]]
    for statement in allows:
        candidate = [*chunks[-1], statement]
        if chunks[-1] and policy_size({"Statement": candidate}) > MANAGED_POLICY_LIMIT:
            chunks.append([statement])
        else:
            chunks[-1] = candidate
    names = [EXECUTION_POLICY, *(f"{EXECUTION_POLICY}-{n}" for n in range(2, len(chunks) + 1))]
    policies = {
        name: {"Version": "2012-10-17", "Statement": chunk}
        for name, chunk in zip(names, chunks, strict=True)
    }
    policies[GUARDRAILS_POLICY] = {"Version": "2012-10-17", "Statement": denies}
    return policies


def policy_size(document: dict[str, Any]) -> int:
    """The characters IAM counts against a managed policy's limit (whitespace excluded)."""
    return len("".join(json.dumps(document, separators=(",", ":")).split()))


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
    cdk: str, *, account: str, regions: Sequence[str], execution_policy_arns: Sequence[str]
) -> list[str]:
    """The pinned CLI's ``cdk bootstrap`` of ``regions`` with the repository's policies."""
    return [
        cdk,
        "bootstrap",
        *(f"aws://{account}/{region}" for region in regions),
        "--cloudformation-execution-policies",
        ",".join(execution_policy_arns),
    ]


def bootstrap(
    iam_client: Any,
    *,
    account: str,
    regions: Sequence[str],
    cdk: str,
    run: Callable[[list[str]], int],
) -> int:
    """Put the boundary, the guarded-controls policy (for the key administrator) and the
    execution policies in place, then bootstrap ``regions``; the CLI's exit code."""
    upsert_managed_policy(
        iam_client,
        account=account,
        name=PERMISSIONS_BOUNDARY,
        document=permissions_boundary(account=account),
    )
    upsert_managed_policy(
        iam_client,
        account=account,
        name=GUARDED_CONTROLS_POLICY,
        document=guarded_controls_policy(account=account),
    )
    arns = [
        upsert_managed_policy(iam_client, account=account, name=name, document=document)
        for name, document in managed_policies(account=account).items()
    ]
    return run(bootstrap_command(cdk, account=account, regions=regions, execution_policy_arns=arns))
