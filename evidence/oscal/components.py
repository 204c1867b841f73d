"""Platform services as OSCAL components: one per stack, with what its checks show per control."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from trestle.oscal import component as cd

from evidence.catalog import sort_key
from evidence.observations import Observation
from evidence.oscal.common import metadata, stable_uuid
from evidence.oscal.workspace import PROFILE_HREF
from evidence.provenance import Provenance

_PURPOSE = {
    "network": "VPC, subnets by tier and zone, security groups, VPC endpoints, flow logs",
    "foundation": "customer managed KMS keys and application secrets",
    "data": "Aurora PostgreSQL, Valkey cache, MSK Kafka, S3 buckets",
    "compute": "ECS Fargate services: API, Celery worker and Beat, migrations",
    "edge": "CloudFront, WAF, the application load balancer, DNS and certificates",
    "delivery": "container registry, GitHub OIDC deploy role, blue/green hooks",
    "monitoring": "alarms and dashboards",
    "alerts": "the on-call alert topic",
    "audit": "CloudTrail, AWS Config, GuardDuty, Security Hub",
    "backup": "AWS Backup vault and plans",
    "identity": "Cognito user pool: sign-in with MFA",
}


@dataclass(frozen=True)
class Component:
    stack: str
    uuid: str
    title: str
    description: str


def components(stacks: list[str], prefix: str) -> list[Component]:
    """A component per stack, titled by the unit its name ends with."""
    found = []
    for stack in sorted(stacks):
        unit = stack.removeprefix(prefix).lstrip("-")
        purpose = _PURPOSE.get(unit.removeprefix("dr-"), f"the {unit} stack's resources")
        where = " in the disaster-recovery region" if unit.startswith("dr-") else ""
        found.append(
            Component(stack, stable_uuid("component", stack), f"PCS {unit}", purpose + where)
        )
    return found


def statements(observations: list[Observation]) -> dict[str, dict[str, str]]:
    """stack -> control -> one sentence of what the automated checks found there."""
    tally: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for o in observations:
        for control in o.controls:
            tally[(o.stack, control)][o.result].add(o.check)
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for (stack, control), results in tally.items():
        parts = [f"{len(checks)} check(s) {result}: {', '.join(sorted(checks))}"
                 for result, checks in sorted(results.items())]  # fmt: skip
        found[stack][control] = "Automated evidence. " + "; ".join(parts) + "."
    return found


def component_definition(
    parts: list[Component], observations: list[Observation], provenance: Provenance
) -> cd.ComponentDefinition:
    """The platform's services and, for each, the controls its automated checks evidence."""
    by_stack = statements(observations)
    defined = []
    for part in parts:
        controls = by_stack.get(part.stack, {})
        implementation = cd.ControlImplementation(
            uuid=stable_uuid("component-implementation", part.stack),
            source=PROFILE_HREF,
            description=f"Controls evidenced by automated checks of {part.stack}.",
            implemented_requirements=[
                cd.ImplementedRequirement(
                    uuid=stable_uuid("component-requirement", part.stack, control),
                    control_id=control,
                    description=controls[control],
                )
                for control in sorted(controls, key=sort_key)
            ],
        )
        defined.append(
            cd.DefinedComponent(
                uuid=part.uuid,
                type="service",
                title=part.title,
                description=part.description,
                control_implementations=[implementation] if controls else None,
            )
        )
    return cd.ComponentDefinition(
        uuid=stable_uuid("component-definition"),
        metadata=metadata("PCS Platform components", provenance),
        components=defined,
    )
