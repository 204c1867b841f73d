"""A small IAM policy evaluator and the permissions CloudFormation's handlers need, for the
release rehearsal (test_release_rehearsal.py) and the boundary's.

Handler permissions come from the CloudFormation resource provider schemas cfn-lint ships
(``handlers.create/update/delete.permissions``): what CloudFormation calls, as the execution
role, to create, update and delete a resource of that type.

The evaluator follows IAM's order: an explicit deny wins, then an allow, else an implicit deny.
Actions match case-insensitively with ``*``/``?``; resources match as ARNs with wildcards.
Conditions: an allow's is taken as met (the tests that need one, the boundary on every role,
assert it on the templates); a deny's applies unless the request's ``context`` gives a key of
its ``StringEquals`` another value (a role's PutMetricData to its own namespace is not the
traffic switch's).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cache
from importlib import resources
from typing import Any

OPERATIONS = ("create", "update", "delete")
ACCOUNT = "111111111111"  # the example deployments' account


@cache
def _provider_index() -> dict[str, str]:
    schemas = resources.files("cfnlint.data.schemas")
    return json.loads((schemas / "providers" / "us-east-1.json").read_text())


@cache
def handler_permissions(resource_type: str) -> frozenset[str]:
    """The IAM actions CloudFormation's create, update and delete handlers of the type call."""
    digest = _provider_index().get(resource_type)
    if digest is None:
        return frozenset()
    schemas = resources.files("cfnlint.data.schemas")
    handlers = json.loads((schemas / "resources" / f"{digest}.json").read_text())["handlers"]
    return frozenset(
        action
        for operation in OPERATIONS
        for action in handlers.get(operation, {}).get("permissions", ())
    )


def _as_list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _action_matches(pattern: str, action: str) -> bool:
    return fnmatchcase(action.lower(), pattern.lower())


def _resource_matches(pattern: str, arn: str | None, effect: str) -> bool:
    """``arn`` None (a resource whose ARN is not derived here): an allow on any resource
    covers it (the check is then at the action level), a deny only on ``*``."""
    if arn is None:
        return effect == "Allow" or pattern == "*"
    return fnmatchcase(arn, pattern)


@dataclass(frozen=True)
class Decision:
    """The outcome for one action on one resource, and the statement that decided it."""

    allowed: bool
    statement: str | None


def _excluded_by(statement: dict[str, Any], context: dict[str, str] | None) -> bool:
    """Whether the request's ``context`` fails the statement's ``StringEquals``."""
    equals = statement.get("Condition", {}).get("StringEquals", {})
    return any(
        key in (context or {}) and context[key] not in _as_list(values)
        for key, values in equals.items()
    )


def evaluate(
    document: dict[str, Any], action: str, arn: str | None, context: dict[str, str] | None = None
) -> Decision:
    """IAM's verdict on ``action`` against ``arn`` under ``document``.

    ``arn`` None: a deny applies if it names the action on ``*``, an allow if it names the
    action on any resource.
    """
    allow = None
    for statement in document["Statement"]:
        if not any(_action_matches(p, action) for p in _as_list(statement["Action"])):
            continue
        effect = statement["Effect"]
        covers = any(_resource_matches(p, arn, effect) for p in _as_list(statement["Resource"]))
        if effect == "Deny" and covers and not _excluded_by(statement, context):
            return Decision(False, statement["Sid"])
        if effect == "Allow" and covers and allow is None:
            allow = statement["Sid"]
    return Decision(allow is not None, allow)


# --- ARNs of the templates' resources, where the policies scope by name -------------------

_NAME_PROPERTIES = {
    "AWS::S3::Bucket": ("s3", "BucketName", "arn:aws:s3:::{name}"),
    "AWS::Logs::LogGroup": (
        "logs",
        "LogGroupName",
        "arn:aws:logs:{region}:{account}:log-group:{name}",
    ),
    "AWS::SecretsManager::Secret": (
        "secretsmanager",
        "Name",
        "arn:aws:secretsmanager:{region}:{account}:secret:{name}-AbCdEf",
    ),
    "AWS::SNS::Topic": ("sns", "TopicName", "arn:aws:sns:{region}:{account}:{name}"),
    "AWS::Lambda::Function": (
        "lambda",
        "FunctionName",
        "arn:aws:lambda:{region}:{account}:function:{name}",
    ),
    "AWS::Events::Rule": ("events", "Name", "arn:aws:events:{region}:{account}:rule/{name}"),
    "AWS::KinesisFirehose::DeliveryStream": (
        "firehose",
        "DeliveryStreamName",
        "arn:aws:firehose:{region}:{account}:deliverystream/{name}",
    ),
    "AWS::ECR::Repository": (
        "ecr",
        "RepositoryName",
        "arn:aws:ecr:{region}:{account}:repository/{name}",
    ),
    "AWS::ECS::Cluster": ("ecs", "ClusterName", "arn:aws:ecs:{region}:{account}:cluster/{name}"),
    "AWS::CloudWatch::Alarm": (
        "cloudwatch",
        "AlarmName",
        "arn:aws:cloudwatch:{region}:{account}:alarm:{name}",
    ),
    "AWS::CloudWatch::Dashboard": (
        "cloudwatch",
        "DashboardName",
        "arn:aws:cloudwatch::{account}:dashboard/{name}",
    ),
    "AWS::RDS::DBCluster": (
        "rds",
        "DBClusterIdentifier",
        "arn:aws:rds:{region}:{account}:cluster:{name}",
    ),
    "AWS::RDS::DBInstance": (
        "rds",
        "DBInstanceIdentifier",
        "arn:aws:rds:{region}:{account}:db:{name}",
    ),
    "AWS::RDS::GlobalCluster": (
        "rds",
        "GlobalClusterIdentifier",
        "arn:aws:rds::{account}:global-cluster:{name}",
    ),
    "AWS::ElastiCache::ReplicationGroup": (
        "elasticache",
        "ReplicationGroupId",
        "arn:aws:elasticache:{region}:{account}:replicationgroup:{name}",
    ),
    "AWS::Backup::BackupVault": (
        "backup",
        "BackupVaultName",
        "arn:aws:backup:{region}:{account}:backup-vault:{name}",
    ),
    "AWS::IAM::Role": ("iam", "RoleName", "arn:aws:iam::{account}:role/{name}"),
    "AWS::IAM::ManagedPolicy": ("iam", "ManagedPolicyName", "arn:aws:iam::{account}:policy/{name}"),
    "AWS::MSK::Cluster": (
        "kafka",
        "ClusterName",
        "arn:aws:kafka:{region}:{account}:cluster/{name}/abc",
    ),
}


# A managed policy's attachment acts on the role, user or group it attaches to.
_ON_THE_ATTACHED_ROLE = frozenset(
    f"iam:{verb}{kind}Policy" for verb in ("Attach", "Detach") for kind in ("Role", "User", "Group")
)


def generated_name(stack: str, logical_id: str) -> str:
    """CloudFormation's physical name for an unnamed resource: ``<stack>-<logical id>-<id>``."""
    return f"{stack}-{logical_id}-1A2B3C4D5E6F"


def resource_arn(
    stack: str, region: str, logical_id: str, resource: dict[str, Any], action: str
) -> str | None:
    """The ARN ``action`` acts on when it is the resource's own service's, where known."""
    entry = _NAME_PROPERTIES.get(resource["Type"])
    if entry is None or action.split(":")[0].lower() != entry[0]:
        return None
    if action in _ON_THE_ATTACHED_ROLE:
        return None
    service, prop, template = entry
    name = resource.get("Properties", {}).get(prop)
    if not isinstance(name, str):
        name = generated_name(stack, logical_id)
        if service == "s3":
            name = name.lower()
    return template.format(name=name, region=region, account=ACCOUNT)


def bucket_policy_arn(stack: str, template: dict[str, Any], resource: dict[str, Any]) -> str:
    """A bucket policy's bucket, by its ``Bucket`` property (a name or a Ref to the bucket)."""
    bucket = resource["Properties"]["Bucket"]
    if isinstance(bucket, dict) and "Ref" in bucket:
        target = template["Resources"][bucket["Ref"]]
        name = target["Properties"].get("BucketName")
        bucket = name if isinstance(name, str) else generated_name(stack, bucket["Ref"]).lower()
    if not isinstance(bucket, str):  # a bucket of another stack: its exported name
        bucket = re.sub(r"[^a-z0-9-]", "", json.dumps(bucket).lower())
    return f"arn:aws:s3:::{bucket}"
