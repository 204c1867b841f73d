"""The system security plan for the FedRAMP Rev 5 Moderate baseline, filled from the templates.

What the templates can say is filled in: components, an inventory item per asset, the diagrams,
and for every requirement its implementation status, origination and responsible role as the
automated checks support them, a statement per part of the control (evidence/oscal/narratives.py)
and the parameter values the templates fix. What only people can say (the narrative of a control
nobody's check reaches) is a dated gap of the SSP (planned), not a POA&M weakness.
"""

from __future__ import annotations

from trestle.oscal import common as oscal
from trestle.oscal import ssp

from evidence.catalog import fedramp_values, statement_parts
from evidence.observations import Observation
from evidence.oscal.common import metadata, prop, stable_uuid
from evidence.oscal.components import ASSET_TYPES, COMPONENTS, component_for, statements
from evidence.oscal.narratives import describe, part_text
from evidence.oscal.validations import validation_components
from evidence.oscal.workspace import (
    CATALOG_FOLDER,
    CATALOG_XML,
    FEDRAMP_PROFILE_URL,
    PROFILE_HREF,
)
from evidence.provenance import Provenance
from evidence.status import (
    IMPLEMENTED,
    INHERITED,
    PARTIAL,
    PLANNED,
    ControlStatus,
    responsibility,
)

_LEVEL = "fips-199-moderate"
_AWS = "aws"


def _leveraged() -> tuple[oscal.Party, ssp.LeveragedAuthorization]:
    """AWS as a party and the authorization the inherited controls lean on."""
    table = responsibility()["leveraged"]
    party = oscal.Parties(
        uuid=stable_uuid("party", _AWS), type="organization", name="Amazon Web Services"
    )
    authorization = ssp.LeveragedAuthorization(
        uuid=stable_uuid("leveraged-authorization", _AWS),
        title=table["title"],
        props=[prop("impact-level", "moderate", fedramp=True)],
        party_uuid=party.uuid,
        date_authorized=table["date_authorized"],
        remarks=table["services"],
    )
    return party, authorization


def _baseline_resource() -> oscal.Resource:
    """FedRAMP's Moderate baseline: the vendored resolved catalog (relative to this document,
    XML first, which FedRAMP's validator reads), then FedRAMP's published profile."""
    return oscal.Resource(
        uuid=stable_uuid("resource", "fedramp-moderate-baseline"),
        title="FedRAMP Rev 5 Moderate baseline (resolved profile catalog, vendored)",
        rlinks=[
            oscal.Rlink(href=f"../../{CATALOG_XML}", media_type="application/oscal.catalog+xml"),
            oscal.Rlink(
                href=f"../../{CATALOG_FOLDER}/catalog.json",
                media_type="application/oscal.catalog+json",
            ),
            oscal.Rlink(href=FEDRAMP_PROFILE_URL, media_type="application/oscal.profile+json"),
        ],
    )


def _requirement_props(status: ControlStatus, leveraged: str) -> list[oscal.Property]:
    # FedRAMP's statuses have no "inherited": an inherited control is implemented, originates
    # as inherited and names the leveraged authorization; a partial one carries its plan.
    value = IMPLEMENTED if status.status == INHERITED else status.status
    props = [prop("implementation-status", value, fedramp=True, remarks=status.remark)]
    if status.status == PARTIAL:
        plan = "The failing checks are POA&M items, each due by the planned completion date."
        props.append(prop("implementation-status", PLANNED, fedramp=True, remarks=plan))
    if status.planned_completion:
        due = status.planned_completion.date().isoformat()
        props.append(prop("planned-completion-date", due, fedramp=True))
    props += [prop("control-origination", o, fedramp=True) for o in status.origination]
    if status.status == INHERITED:
        props.append(prop("leveraged-authorization-uuid", leveraged, fedramp=True))
    return props


def system_security_plan(
    *,
    system_name: str,
    regions: list[str],
    observations: list[Observation],
    control_statuses: dict[str, ControlStatus],
    parameters: dict[str, dict[str, list[str]]],
    inventory: list[list[str]],
    resource_types: dict[str, str],  # asset id -> CloudFormation type
    diagrams: dict[str, tuple[str, str, str]],  # view -> (file, media type, caption)
    path_in: str,  # the templates' path in, as evidence.origin.data_flow_text says it
    provenance: Provenance,
) -> ssp.SystemSecurityPlan:
    this_system = stable_uuid("component", "this-system")
    aws, leveraged = _leveraged()
    titles = {o.check: describe(o) for o in observations}
    baseline = _baseline_resource()
    by_component = statements(observations)
    resources = {
        view: oscal.Resource(
            uuid=stable_uuid("diagram-resource", file),
            title=caption,
            rlinks=[oscal.Rlink(href=file, media_type=media_type)],
        )
        for view, (file, media_type, caption) in diagrams.items()
    }

    def figure(use: str, view: str) -> list[ssp.Diagram] | None:
        if view not in resources:
            return None
        resource = resources[view]
        link = oscal.Link(href=f"#{resource.uuid}", rel="diagram")
        return [
            ssp.Diagram(
                uuid=stable_uuid("diagram", use),
                description=resource.title,
                links=[link],
                caption=resource.title,
            )
        ]

    boundary = ssp.AuthorizationBoundary(
        description="Everything the platform's CloudFormation stacks create in "
        f"{', '.join(regions)}, inside one AWS account; AWS services outside it are marked "
        "by their own FedRAMP authorization on the boundary diagram.",
        diagrams=figure("boundary", "boundary"),
    )
    characteristics = ssp.SystemCharacteristics(
        system_ids=[oscal.SystemId(identifier_type="https://fedramp.gov", id=system_name)],
        # The baseline the system is categorized against (the import's copies, back-matter).
        links=[oscal.Link(href=f"#{baseline.uuid}", rel="reference", text="FedRAMP baseline")],
        system_name=system_name,
        system_name_short="PCS",
        props=[
            # A SaaS in AWS's commercial regions (FedRAMP Moderate authorized): public cloud.
            prop("cloud-service-model", "saas"),
            prop("cloud-deployment-model", "public-cloud"),
        ],
        network_architecture=ssp.NetworkArchitecture(
            description="One VPC per region with public, private and isolated database subnets "
            "in each availability zone; every flow between security groups is on the diagrams "
            "and in ports-protocols-services.csv.",
            diagrams=figure("network", "boundary"),
        ),
        data_flow=ssp.DataFlow(
            description=f"{path_in} Tasks reach the database, cache and Kafka over TLS and AWS "
            "APIs through VPC endpoints.",
            # The data flows, then each step-by-step flow (evidence/flows.py: "flow-*").
            diagrams=[
                diagram
                for view in resources
                if view == "data-flow" or view.startswith("flow-")
                for diagram in figure(view, view) or []
            ]
            or None,
        ),
        description="PCS Platform: a multi-tenant compliance SaaS on AWS (ECS Fargate, Aurora "
        "PostgreSQL, Valkey, MSK, S3, CloudFront). Its services: "
        + "; ".join(f"{part.title} ({part.description})" for part in COMPONENTS[:-1])
        + ".",
        security_sensitivity_level=_LEVEL,
        system_information=ssp.SystemInformation(
            information_types=[
                ssp.InformationType(
                    uuid=stable_uuid("information-type", "tenant-compliance-records"),
                    title="Tenant compliance records",
                    description="Documents, evidence and audit events that tenants upload and "
                    "the platform derives from them.",
                    confidentiality_impact=ssp.Impact(base=_LEVEL),
                    integrity_impact=ssp.Impact(base=_LEVEL),
                    availability_impact=ssp.Impact(base=_LEVEL),
                )
            ]
        ),
        security_impact_level=ssp.SecurityImpactLevel(
            security_objective_confidentiality=_LEVEL,
            security_objective_integrity=_LEVEL,
            security_objective_availability=_LEVEL,
        ),
        status=ssp.Status1(state="under-development"),
        authorization_boundary=boundary,
    )
    implementation = ssp.SystemImplementation(
        leveraged_authorizations=[leveraged],
        users=[
            oscal.SystemUser(
                uuid=stable_uuid("user", "platform-engineering"),
                title="Platform engineer",
                role_ids=["platform-engineering"],
            )
        ],
        components=[
            oscal.SystemComponent(
                uuid=this_system,
                type="this-system",
                title=system_name,
                description="The whole system.",
                props=[prop("asset-type", "software-as-a-service", fedramp=True)],
                status=oscal.Status(state="under-development"),
            ),
            *(
                oscal.SystemComponent(
                    uuid=part.uuid,
                    type="service",
                    title=part.title,
                    description=part.description,
                    props=[prop("asset-type", ASSET_TYPES[part.key], fedramp=True)],
                    status=oscal.Status(state="under-development"),
                )
                for part in COMPONENTS
            ),
            *validation_components(),
        ],
        inventory_items=[
            oscal.InventoryItem(
                uuid=stable_uuid("inventory", row[0]),
                description=f"{row[11]}: {row[23]}",
                props=[
                    prop("asset-id", row[0]),
                    prop("asset-type", row[11]),
                    prop("virtual", row[2].lower()),
                    prop("public", row[3].lower()),
                ],
                implemented_components=[
                    oscal.ImplementedComponent(
                        component_uuid=component_for(resource_types[row[0]]).uuid
                    )
                ],
            )
            for row in inventory
        ]
        or None,
    )
    requirements = []
    for control, status in control_statuses.items():
        by_components = [
            ssp.ByComponent(
                component_uuid=part.uuid,
                uuid=stable_uuid("by-component", control, part.key),
                description=by_component[part.key][control],
            )
            for part in COMPONENTS
            if control in by_component.get(part.key, {})
        ]
        if status.deviation or status.customer:
            by_components.append(_this_system(control, this_system, status))
        values = parameters.get(control, {})
        requirements.append(
            ssp.ImplementedRequirement(
                uuid=stable_uuid("requirement", control),
                control_id=control,
                props=_requirement_props(status, leveraged.uuid),
                set_parameters=[
                    _set_parameter(param, found) for param, found in sorted(values.items())
                ]
                or None,
                responsible_roles=[oscal.ResponsibleRole(role_id="platform-engineering")],
                statements=[
                    ssp.Statement(
                        statement_id=part.id,
                        uuid=stable_uuid("statement", part.id),
                        by_components=[
                            ssp.ByComponent(
                                component_uuid=this_system,
                                uuid=stable_uuid("statement-by-component", part.id),
                                description=part_text(part, status, values, titles),
                            )
                        ],
                    )
                    for part in statement_parts()[control]
                ],
                by_components=by_components or None,
                remarks=status.remark,
            )
        )
    return ssp.SystemSecurityPlan(
        uuid=stable_uuid("ssp"),
        metadata=metadata(f"{system_name} system security plan", provenance, [aws]),
        # trestle resolves only this href offline (not a back-matter reference, in an SSP);
        # FedRAMP's validator reads it through the workspace's XML catalog as the vendored XML
        # resolved-profile catalog (evidence/fedramp.py). The copies are in the back-matter.
        import_profile=ssp.ImportProfile(href=PROFILE_HREF),
        system_characteristics=characteristics,
        system_implementation=implementation,
        control_implementation=ssp.ControlImplementation(
            description="FedRAMP Rev 5 Moderate: every requirement, with what the automated "
            "checks of the synthesized templates show.",
            implemented_requirements=requirements,
        ),
        back_matter=oscal.BackMatter(resources=[baseline, *resources.values()]),
    )


def _set_parameter(param: str, found: list[str]) -> ssp.SetParameter:
    """A parameter FedRAMP fixes takes FedRAMP's value (the rule of the mechanism checks it), with
    what the templates deploy as its remarks; any other takes the deployed value."""
    fixed = fedramp_values().get(param)
    if fixed:
        return ssp.SetParameter(param_id=param, values=[fixed], remarks="; ".join(found))
    return ssp.SetParameter(param_id=param, values=found)


def _this_system(control: str, this_system: str, status: ControlStatus) -> ssp.ByComponent:
    """The whole system's part: a recorded deviation's statement, the tenant's responsibility."""
    responsibilities = (
        ssp.Export(
            responsibilities=[
                ssp.Responsibility(
                    uuid=stable_uuid("responsibility", control), description=status.customer
                )
            ]
        )
        if status.customer
        else None
    )
    return ssp.ByComponent(
        component_uuid=this_system,
        uuid=stable_uuid("by-component", control, "this-system"),
        description=status.deviation.statement if status.deviation else status.remark,
        export=responsibilities,
    )
