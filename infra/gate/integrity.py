"""Assembly integrity: what a task, a function or an alarm names exists in its own region.

Each template passes its own checks and still a DR task can name a stream, a key or an
endpoint of the other region (issue 20: the DR worker wrote to the us-east-1 audit stream
through a us-west-2 endpoint). This reads the whole assembly: for every value a container
(environment, secrets, image, log configuration), a function's environment or an alarm
(actions, dimensions) names, it finds the regions the value comes from and reports each that
is not the stack's own, unless :data:`GLOBAL` declares that value deliberately global.

Where a value comes from:
- a ``Ref``/``Fn::GetAtt`` in the template: the stack itself;
- ``Fn::ImportValue``: the exporting stack's region;
- a ``Custom::CrossRegionExportReader`` attribute (CDK's cross-region reference): the producing
  stack's region, read from the export's path;
- a literal: any AWS region in it (ARNs, endpoint URLs, registry hosts), and any physical name of
  a resource the assembly creates (stream, bucket, log group, topic, secret, key alias); a
  secret exists in its region and in each region it is replicated to.

Every ``{{resolve:secretsmanager:<name>...}}`` dynamic reference, in any resource, must name a
secret the assembly creates or replicates in the stack's own region: CloudFormation resolves it
there (the DR ALB's origin header resolves from the DR replica).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

_REGION = re.compile(r"\b(?:us|eu|ap|sa|ca|me|af|il|mx)(?:-gov)?-[a-z]+-\d\b")
# A dynamic reference to a secret by a literal name: not by ARN (its region is in it), nor by a
# name joined from references (the referenced secret, the stack's own).
_RESOLVE = re.compile(r"\{\{resolve:secretsmanager:(?!arn:)([A-Za-z0-9/_+=.@-]+)(?=[:}])")
_READER = "Custom::CrossRegionExportReader"
# The physical-name property of each resource kind a value may name.
_NAMED = {
    "AWS::KinesisFirehose::DeliveryStream": "DeliveryStreamName",
    "AWS::S3::Bucket": "BucketName",
    "AWS::Logs::LogGroup": "LogGroupName",
    "AWS::SNS::Topic": "TopicName",
    "AWS::SecretsManager::Secret": "Name",
    "AWS::KMS::Alias": "AliasName",
}

# (stack unit without the prefix, variable) -> why the value is deliberately another region's.
# The variable is the last part of a finding's field (``OIDC_ISSUER`` of
# ``pcs-prod-api/OIDC_ISSUER``).
_SECOND_ISSUER = (
    "The DR API also accepts the primary pool's access tokens, issued before a region switch: "
    "its issuer and client id are fixed in the task definition at deploy, never fetched."
)
GLOBAL: Mapping[tuple[str, str], str] = {
    ("backup", "DestinationBucket"): (
        "S3 publishes a replication rule's metrics in the source bucket's region, with the "
        "destination bucket as a dimension: the alarm on the documents' copy names the replica."
    ),
    ("dr-compute", "OIDC_ISSUER"): _SECOND_ISSUER,
    ("dr-compute", "OIDC_CLIENT_ID"): _SECOND_ISSUER,
    # Issue 22: members are created in both user pools; the tasks and the pool-admin function
    # name the other region so that the function finds the other pool there (by its name).
    **{
        (unit, variable): (
            "Members are kept in both regions' user pools (sign-in survives the region): the "
            "tasks and the pool-admin function name the other region, whose pool the function "
            "calls at Cognito's public FIPS endpoint (identity-member-invitations.md)."
        )
        for unit in ("compute", "dr-compute")
        for variable in ("COGNITO_STANDBY_REGION", "STANDBY_REGION")
    },
    ("dr-watch", "DR_PRIMARY_REGION"): (
        "The DR readiness check compares the DR region with the primary (images, digests, "
        "secrets): it names the primary's region on purpose and reports the primary unreachable "
        "as drift instead of failing."
    ),
}


@dataclass(frozen=True)
class IntegrityFinding:
    """A value named in ``stack`` that comes from ``region``, not the stack's own."""

    stack: str
    field: str  # e.g. pcs-prod-worker/AUDIT_FIREHOSE_STREAM, Alarm pcs-prod-api-5xx/AlarmActions
    region: str
    source: str  # what the value is: the producing stack, the literal, the named resource

    def __str__(self) -> str:
        return f"{self.stack}: {self.field} names {self.source} in {self.region}"


@dataclass(frozen=True)
class _Stack:
    name: str
    region: str
    template: dict


def check_assembly(stacks: Mapping[str, tuple[str, Path]], prefix: str) -> list[IntegrityFinding]:
    """Every cross-region value of ``{stack: (region, template path)}`` not in :data:`GLOBAL`.

    ``prefix`` (``pcs-prod``) is removed from stack names to match :data:`GLOBAL`'s units.
    """
    parsed = [
        _Stack(name, region, json.loads(path.read_text()))
        for name, (region, path) in stacks.items()
    ]
    regions = {s.name: s.region for s in parsed}
    named = _physical_names(parsed)
    findings = []
    for stack in parsed:
        unit = stack.name.removeprefix(f"{prefix}-")
        resources = stack.template.get("Resources", {})
        for field, value in _named_values(resources):
            for where, source in _sources(value, resources, regions, named):
                variable = field.rsplit("/", 1)[-1]
                if stack.region not in where and (unit, variable) not in GLOBAL:
                    findings.append(IntegrityFinding(stack.name, field, min(where), source))
        for logical_id, secret in _resolved_secrets(resources):
            if stack.region not in named.get(secret, {}):
                findings.append(
                    IntegrityFinding(
                        stack.name,
                        f"{logical_id}/resolve",
                        "no secret here",
                        f"secret {secret}, which this region neither creates nor replicates",
                    )
                )
    return sorted(set(findings), key=str)


def _resolved_secrets(resources: dict) -> Iterator[tuple[str, str]]:
    """``(logical id, secret name)`` of every secrets-manager dynamic reference by name."""
    for logical_id, resource in resources.items():
        for secret in _RESOLVE.findall(json.dumps(resource.get("Properties", {}))):
            yield logical_id, secret


def _named_values(resources: dict) -> Iterator[tuple[str, object]]:
    """``(field, value)`` of what every task, function and alarm of a template names."""
    for logical_id, resource in resources.items():
        kind, props = resource["Type"], resource.get("Properties", {})
        if kind == "AWS::ECS::TaskDefinition":
            family = props.get("Family", logical_id)
            for container in props.get("ContainerDefinitions", []):
                yield f"{family}/Image", container.get("Image")
                for variable in container.get("Environment", []):
                    yield f"{family}/{variable['Name']}", variable["Value"]
                for secret in container.get("Secrets", []):
                    yield f"{family}/{secret['Name']}", secret["ValueFrom"]
                options = (container.get("LogConfiguration") or {}).get("Options", {})
                for option, value in options.items():
                    yield f"{family}/{option}", value
        elif kind == "AWS::Lambda::Function":
            name = props.get("FunctionName", logical_id)
            variables = (props.get("Environment") or {}).get("Variables", {})
            for variable, value in variables.items():
                yield f"{name}/{variable}", value
        elif kind == "AWS::CloudWatch::Alarm":
            name = props.get("AlarmName", logical_id)
            for actions in ("AlarmActions", "OKActions", "InsufficientDataActions"):
                if actions in props:
                    yield f"{name}/{actions}", props[actions]
            for dimension in props.get("Dimensions", []):
                yield f"{name}/{dimension['Name']}", dimension["Value"]


def _sources(
    value: object,
    resources: dict,
    regions: Mapping[str, str],
    named: Mapping[str, dict[str, str]],
) -> Iterator[tuple[frozenset[str], str]]:
    """``(regions, what)`` of every source of ``value`` outside its own template: the value is
    another region's if the stack's region is not among ``regions``."""
    if isinstance(value, str):
        for region in _REGION.findall(value):
            yield frozenset({region}), repr(value)
        if value in named:  # a name several regions create is each region's own
            yield frozenset(named[value]), " and ".join(sorted(set(named[value].values())))
    elif isinstance(value, list):
        for item in value:
            yield from _sources(item, resources, regions, named)
    elif isinstance(value, dict):
        if "Fn::ImportValue" in value:
            exporter = str(value["Fn::ImportValue"]).split(":", 1)[0]
            yield (
                frozenset({regions.get(exporter, "an unknown region")}),
                f"an export of {exporter}",
            )
            return
        attribute = value.get("Fn::GetAtt")
        if attribute and resources.get(attribute[0], {}).get("Type") == _READER:
            region, source = _reader_source(attribute[1], regions)
            yield frozenset({region}), source
            return
        for item in value.values():
            yield from _sources(item, resources, regions, named)


def _reader_source(path: str, regions: Mapping[str, str]) -> tuple[str, str]:
    """The producing stack of a cross-region export (``/cdk/exports/<consumer>/<producer><region>
    <Ref|FnGetAtt>...``, punctuation removed) and its region."""
    export = path.rsplit("/", 1)[-1]
    for stack, region in regions.items():
        if export.startswith(_alphanumeric(stack) + _alphanumeric(region)):
            return region, f"a cross-region reference to {stack}"
    return "an unknown region", f"a cross-region reference {export}"


def _alphanumeric(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", text)


def _physical_names(stacks: list[_Stack]) -> dict[str, dict[str, str]]:
    """``{physical name: {region: "<type> <name> (<stack>)"}}`` of every literally named
    resource."""
    named: dict[str, dict[str, str]] = {}
    for stack in stacks:
        for resource in stack.template.get("Resources", {}).values():
            prop = _NAMED.get(resource["Type"])
            name = resource.get("Properties", {}).get(prop) if prop else None
            if isinstance(name, str):
                kind = resource["Type"].split("::")[-1]
                named.setdefault(name, {})[stack.region] = f"{kind} {name} ({stack.name})"
                for replica in resource["Properties"].get("ReplicaRegions", []):
                    named[name][replica["Region"]] = f"{kind} {name} (replica of {stack.name})"
    return named
