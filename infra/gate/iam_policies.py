"""parliament over every IAM identity policy of a cloud assembly.

The templates' policies reference their resources through CloudFormation intrinsics (``Ref``,
``Fn::GetAtt``, ``Fn::Join``, ``Fn::ImportValue``); parliament needs ARNs. Each intrinsic is
rendered here into the ARN the resource will have (its configured name where the template gives
one), so parliament's resource checks see the shape AWS will. parliament itself runs in the
scanners' venv (tools/scanners/parliament_audit.py), once over all policies.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from infra.gate.checkov import SCANNERS

PYTHON = SCANNERS / ".venv" / "bin" / "python"
AUDIT = SCANNERS / "parliament_audit.py"
SEVERITIES = ("INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL")

IDENTITY_POLICIES = ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")
INLINE_POLICY_HOLDERS = ("AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group")

_SECRET = "arn:{p}:secretsmanager:{r}:{a}:secret:{n}-AbCdEf"
# The ARN each referenced resource type will have: ``{p}`` partition, ``{r}`` region,
# ``{a}`` account, ``{n}`` its name. Types a policy never names need no row.
_ARNS = {
    "AWS::S3::Bucket": "arn:{p}:s3:::{n}",
    "AWS::Logs::LogGroup": "arn:{p}:logs:{r}:{a}:log-group:{n}:*",
    "AWS::KMS::Key": "arn:{p}:kms:{r}:{a}:key/{n}",
    "AWS::ECR::Repository": "arn:{p}:ecr:{r}:{a}:repository/{n}",
    "AWS::IAM::Role": "arn:{p}:iam::{a}:role/{n}",
    "AWS::Lambda::Function": "arn:{p}:lambda:{r}:{a}:function:{n}",
    "AWS::MSK::Cluster": "arn:{p}:kafka:{r}:{a}:cluster/{n}/00000000-0000-0000-0000-000000000000-1",
    "AWS::SNS::Topic": "arn:{p}:sns:{r}:{a}:{n}",
    "AWS::SQS::Queue": "arn:{p}:sqs:{r}:{a}:{n}",
    "AWS::SecretsManager::Secret": _SECRET,
    "AWS::SecretsManager::SecretTargetAttachment": _SECRET,  # Ref: the attached secret's ARN
    "AWS::RDS::DBCluster": "arn:{p}:rds:{r}:{a}:cluster:{n}",
    "AWS::ECS::Cluster": "arn:{p}:ecs:{r}:{a}:cluster/{n}",
    "AWS::ECS::TaskDefinition": "arn:{p}:ecs:{r}:{a}:task-definition/{n}:1",
    "AWS::ECS::Service": "arn:{p}:ecs:{r}:{a}:service/cluster/{n}",
    "AWS::Cognito::UserPool": "arn:{p}:cognito-idp:{r}:{a}:userpool/{r}_{n}",
    "AWS::KinesisFirehose::DeliveryStream": "arn:{p}:firehose:{r}:{a}:deliverystream/{n}",
    "AWS::Backup::BackupVault": "arn:{p}:backup:{r}:{a}:backup-vault:{n}",
    "AWS::ElasticLoadBalancingV2::LoadBalancer": (
        "arn:{p}:elasticloadbalancing:{r}:{a}:loadbalancer/app/{n}/0123456789abcdef"
    ),
    "AWS::ElasticLoadBalancingV2::Listener": (
        "arn:{p}:elasticloadbalancing:{r}:{a}:listener/app/{n}/0123456789abcdef/0123456789abcdef"
    ),
    "AWS::ElasticLoadBalancingV2::ListenerRule": (
        "arn:{p}:elasticloadbalancing:{r}:{a}:listener-rule/app/{n}/0123456789abcdef/"
        "0123456789abcdef/0123456789abcdef"
    ),
    "AWS::ElasticLoadBalancingV2::TargetGroup": (
        "arn:{p}:elasticloadbalancing:{r}:{a}:targetgroup/{n}/0123456789abcdef"
    ),
}
# Types whose Ref is their ARN (for the rest, Ref is the name or id).
_REF_IS_ARN = {
    "AWS::SNS::Topic",
    "AWS::SecretsManager::Secret",
    "AWS::SecretsManager::SecretTargetAttachment",
    "AWS::ECS::TaskDefinition",
    "AWS::ECS::Service",
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::ElasticLoadBalancingV2::Listener",
    "AWS::ElasticLoadBalancingV2::ListenerRule",
    "AWS::ElasticLoadBalancingV2::TargetGroup",
}
_NAME_PROPERTIES = re.compile(
    r"(Bucket|LogGroup|Repository|Role|Function|Cluster|Topic|Queue|"
    r"DeliveryStream|BackupVault|UserPool)?Name|Family"
)


@dataclass(frozen=True)
class ParliamentFinding:
    """One parliament finding on one policy (``stack/logical id`` or ``…/inline name``)."""

    policy: str
    issue: str
    severity: str
    detail: str

    @property
    def key(self) -> tuple[str, str]:
        """What a decision file reasons: the policy and the issue."""
        return self.policy, self.issue

    def at_least(self, severity: str) -> bool:
        """True when this finding is ``severity`` or worse."""
        return SEVERITIES.index(self.severity) >= SEVERITIES.index(severity)

    def __str__(self) -> str:
        return f"{self.severity} {self.issue} in {self.policy}: {self.detail}"


@dataclass(frozen=True)
class _Stack:
    name: str
    region: str
    account: str
    template: dict


class _Renderer:
    """Renders intrinsics of one assembly's templates into plain strings."""

    def __init__(self, stacks: dict[str, _Stack], partition: str = "aws") -> None:
        self.stacks = stacks
        self.partition = partition
        self.exports = {
            output["Export"]["Name"]: (stack, output["Value"])
            for stack in stacks.values()
            for output in stack.template.get("Outputs", {}).values()
            if "Export" in output
        }

    def render(self, stack: _Stack, value: object) -> object:
        """``value`` (any JSON) with every intrinsic replaced by the string it evaluates to."""
        if isinstance(value, list):
            return [self.render(stack, item) for item in value]
        if not isinstance(value, dict):
            return value
        if len(value) != 1 or not next(iter(value)).startswith(("Fn::", "Ref")):
            return {key: self.render(stack, item) for key, item in value.items()}
        ((function, argument),) = value.items()
        if function == "Ref":
            return self._ref(stack, argument)
        if function == "Fn::GetAtt":
            logical_id, attribute = argument
            if attribute.endswith("Arn"):
                return self._arn(stack, logical_id)
            return f"{self._name(stack, logical_id)}-{attribute.lower()}"
        if function == "Fn::Join":
            separator, parts = argument
            return separator.join(str(self.render(stack, part)) for part in parts)
        if function == "Fn::ImportValue":
            exporter, exported = self.exports[self.render(stack, argument)]
            return self.render(exporter, exported)
        if function == "Fn::Select":
            index, items = argument
            return self.render(stack, items)[int(index)]
        if function == "Fn::Split":
            separator, text = argument
            return str(self.render(stack, text)).split(separator)
        raise ValueError(f"{stack.name}: no rendering for {function} in an IAM policy")

    def _pseudo(self, stack: _Stack) -> dict[str, str]:
        return {
            "AWS::Partition": self.partition,
            "AWS::Region": stack.region,
            "AWS::AccountId": stack.account,
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::StackName": stack.name,
        }

    def _ref(self, stack: _Stack, logical_id: str) -> str:
        pseudo = self._pseudo(stack)
        if logical_id in pseudo:
            return pseudo[logical_id]
        if stack.template["Resources"][logical_id]["Type"] in _REF_IS_ARN:
            return self._arn(stack, logical_id)
        return self._name(stack, logical_id)

    def _name(self, stack: _Stack, logical_id: str) -> str:
        properties = stack.template["Resources"][logical_id].get("Properties", {})
        for key, value in properties.items():
            if _NAME_PROPERTIES.fullmatch(key) and isinstance(value, str):
                return value
        return logical_id.lower()

    def _arn(self, stack: _Stack, logical_id: str) -> str:
        resource_type = stack.template["Resources"][logical_id]["Type"]
        if resource_type not in _ARNS:
            raise ValueError(f"{stack.name}: no ARN shape for {resource_type} ({logical_id})")
        return _ARNS[resource_type].format(
            p=self.partition,
            r=stack.region,
            a=stack.account,
            n=self._name(stack, logical_id),
        )


def identity_policies(
    templates: dict[str, tuple[str, str, Path]],
) -> dict[str, dict]:
    """``{stack/name: rendered policy document}`` of every identity policy in ``templates``
    (``{stack: (region, account, template_path)}``): standalone and managed policies, and the
    inline policies of roles, users and groups."""
    stacks = {
        name: _Stack(name, region, account, json.loads(path.read_text()))
        for name, (region, account, path) in templates.items()
    }
    renderer = _Renderer(stacks)
    policies = {}
    for stack in stacks.values():
        for logical_id, resource in stack.template["Resources"].items():
            properties = resource.get("Properties", {})
            if resource["Type"] in IDENTITY_POLICIES:
                documents = {logical_id: properties["PolicyDocument"]}
            elif resource["Type"] in INLINE_POLICY_HOLDERS:
                documents = {
                    f"{logical_id}/{inline['PolicyName']}": inline["PolicyDocument"]
                    for inline in properties.get("Policies", ())
                }
            else:
                continue
            for name, document in documents.items():
                policies[f"{stack.name}/{name}"] = renderer.render(stack, document)
    return policies


def audit(policies: dict[str, dict]) -> list[ParliamentFinding]:
    """parliament's findings over ``policies`` (one run of the scanners' Python)."""
    run = subprocess.run(
        [str(PYTHON), str(AUDIT)],
        input=json.dumps([{"name": n, "document": d} for n, d in sorted(policies.items())]),
        capture_output=True,
        text=True,
        check=True,
    )
    return [ParliamentFinding(**finding) for finding in json.loads(run.stdout)]
