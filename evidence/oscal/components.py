"""Platform services as OSCAL components, each with what its checks show per control.

A resource belongs to the service its CloudFormation type names (``AWS::RDS::*`` is the
database); the first matching prefix wins, so the specific ones come first.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from trestle.oscal import component as cd

from evidence.catalog import sort_key
from evidence.observations import Observation
from evidence.oscal.common import metadata, stable_uuid
from evidence.oscal.narratives import describe
from evidence.oscal.workspace import PROFILE_HREF
from evidence.provenance import Provenance


@dataclass(frozen=True)
class Component:
    key: str
    title: str
    description: str
    type_prefixes: tuple[str, ...]

    @property
    def uuid(self) -> str:
        return stable_uuid("component", self.key)


COMPONENTS: tuple[Component, ...] = (
    Component("containers", "Container services", "ECS Fargate: the API, Celery worker and Beat, "
              "the web portal and migrations; their registry", ("AWS::ECS::", "AWS::ECR::")),
    Component("database", "Aurora PostgreSQL", "tenant data, under row-level security",
              ("AWS::RDS::",)),
    Component("cache", "Valkey cache", "Celery broker and cache", ("AWS::ElastiCache::",)),
    Component("streaming", "Kafka (MSK)", "domain and audit events", ("AWS::MSK::",)),
    Component("storage", "Object storage (S3)", "documents, logs, exports and backups",
              ("AWS::S3::",)),
    Component("edge", "Edge", "CloudFront, WAF, the load balancers, DNS and certificates",
              ("AWS::CloudFront::", "AWS::WAFv2::", "AWS::ElasticLoadBalancingV2::",
               "AWS::Route53::", "AWS::CertificateManager::")),
    Component("identity", "Identity", "Cognito user pool: tenants' sign-in with MFA",
              ("AWS::Cognito::",)),
    Component("keys", "Keys and secrets", "customer managed KMS keys and Secrets Manager",
              ("AWS::KMS::", "AWS::SecretsManager::")),
    Component("access", "Access control", "IAM roles and policies, GitHub OIDC federation",
              ("AWS::IAM::",)),
    Component("network", "Network", "VPC, subnets, security groups, endpoints, flow logs",
              ("AWS::EC2::",)),
    Component("logging", "Logging and monitoring", "log groups, alarms, dashboards, alerts",
              ("AWS::Logs::", "AWS::CloudWatch::", "AWS::SNS::", "AWS::KinesisFirehose::")),
    Component("security-services", "Audit and security services",
              "CloudTrail, AWS Config, GuardDuty, Security Hub",
              ("AWS::CloudTrail::", "AWS::Config::", "AWS::GuardDuty::", "AWS::SecurityHub::")),
    Component("backup", "Backup", "AWS Backup vaults and plans", ("AWS::Backup::",)),
    Component("automation", "Deploy-time automation", "Lambda functions and custom resources "
              "run by CloudFormation and the release pipeline",
              ("AWS::Lambda::", "AWS::Serverless::", "Custom::", "AWS::Events::",
               "AWS::Scheduler::", "AWS::ApplicationAutoScaling::")),
    Component("platform", "Other platform configuration", "resources of no service above", ("",)),
)  # fmt: skip


# FedRAMP's asset type of each service where its list (operating system, database, web server,
# directory server, firewall, router, storage array, ...) has one; otherwise what it is, in words.
ASSET_TYPES = {
    "containers": "web-server", "database": "database", "cache": "database",
    "streaming": "message-broker", "storage": "storage-array",
    "edge": "content-delivery-and-load-balancer", "identity": "directory-server",
    "keys": "key-management", "access": "identity-and-access-management", "network": "router",
    "logging": "logging-and-monitoring", "security-services": "security-monitoring",
    "backup": "storage-array", "automation": "serverless-function", "platform": "configuration",
}  # fmt: skip

# The infra/ module whose constructs build each service: its docstring says what they are.
_CONSTRUCTS = {
    "containers": "compute/__init__.py", "database": "data/aurora.py", "cache": "data/cache.py",
    "streaming": "data/kafka.py", "storage": "data/buckets.py", "edge": "edge/__init__.py",
    "identity": "identity/__init__.py", "keys": "security/__init__.py",
    "network": "network/__init__.py", "logging": "monitoring/__init__.py",
    "security-services": "audit/__init__.py", "backup": "backup/__init__.py",
    "automation": "delivery/__init__.py",
}  # fmt: skip
_INFRA = Path(__file__).resolve().parents[2] / "infra"


@cache
def built_by(key: str) -> str:
    """The first paragraph of the docstring of the infra module that builds the service."""
    module = _CONSTRUCTS.get(key)
    docstring = module and ast.get_docstring(ast.parse((_INFRA / module).read_text()))
    if not docstring:
        return ""
    summary = " ".join(docstring.split("\n\n")[0].split()).rstrip(".")
    return f"{summary} (infra/{module.removesuffix('/__init__.py')})."


def component_for(resource_type: str) -> Component:
    return next(c for c in COMPONENTS if resource_type.startswith(c.type_prefixes))


def statements(observations: list[Observation]) -> dict[str, dict[str, str]]:
    """component key -> control -> what the checks of that service show for it, in words."""
    tally: dict[tuple[str, str], dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    titles = {o.check: describe(o) for o in observations}
    for o in observations:
        for control in o.controls:
            tally[(component_for(o.resource_type).key, control)][o.check][o.result] += 1
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for (key, control), checks in tally.items():
        said = [
            f"{titles[check]}: "
            + ", ".join(f"{result} on {n}" for result, n in sorted(results.items()))
            for check, results in sorted(checks.items())
        ]
        checked = "Checked on its resources in the templates: " + "; ".join(said) + "."
        found[key][control] = f"{built_by(key)} {checked}".lstrip()
    return found


def component_definition(
    observations: list[Observation], provenance: Provenance
) -> cd.ComponentDefinition:
    """The platform's services and, for each, the controls its automated checks evidence."""
    by_component = statements(observations)
    defined = []
    for part in COMPONENTS:
        controls = by_component.get(part.key, {})
        implementations = (
            [
                cd.ControlImplementation(
                    uuid=stable_uuid("component-implementation", part.key),
                    source=PROFILE_HREF,
                    description=f"What the automated checks of {part.title} evidence.",
                    implemented_requirements=[
                        cd.ImplementedRequirement(
                            uuid=stable_uuid("component-requirement", part.key, control),
                            control_id=control,
                            description=controls[control],
                        )
                        for control in sorted(controls, key=sort_key)
                    ],
                )
            ]
            if controls
            else None
        )
        defined.append(
            cd.DefinedComponent(
                uuid=part.uuid,
                type="service",
                title=part.title,
                description=part.description,
                control_implementations=implementations,
            )
        )
    return cd.ComponentDefinition(
        uuid=stable_uuid("component-definition"),
        metadata=metadata("PCS Platform components", provenance),
        components=defined,
    )
