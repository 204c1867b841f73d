"""The assessment plan it follows, the assessment results (every observation, a finding per open
check) and the POA&M (a weakness per failing or acknowledged check and per recorded deviation).

Every observation is a static configuration review of a template (``EXAMINE``), made by a named
tool at a named version, about an inventory item (an asset) or a component (its configuration).
Controls nobody's check reaches are gaps of the SSP (planned, with their date), not weaknesses.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from trestle.oscal import assessment_plan as ap
from trestle.oscal import assessment_results as ar
from trestle.oscal import common as oscal
from trestle.oscal import poam

from evidence.catalog import moderate
from evidence.observations import ACKNOWLEDGED, FAIL, Observation
from evidence.oscal.common import control_label, metadata, prop, stable_uuid
from evidence.oscal.components import component_for
from evidence.oscal.tools import Tool, origin, tool_components
from evidence.provenance import Provenance
from evidence.status import ControlStatus, responsibility

SSP_HREF = "trestle://system-security-plans/pcs/system-security-plan.json"
AP_HREF = "trestle://assessment-plans/pcs/assessment-plan.json"
# FedRAMP's risk facet: a failing check is a moderate weakness until fixed; one acknowledged with
# a compensating control (or a recorded deviation) is the low residual risk of that control.
_RISK = {FAIL: "moderate", ACKNOWLEDGED: "low", "deviation": "low"}


def _subject(o: Observation, assets: set[str]) -> oscal.SubjectReference:
    asset = f"{o.stack}/{o.logical_id}"
    if asset in assets:
        return oscal.SubjectReference(
            subject_uuid=stable_uuid("inventory", asset), type="inventory-item", title=asset
        )
    # A configuration resource: the service component it configures.
    return oscal.SubjectReference(
        subject_uuid=component_for(o.resource_type).uuid, type="component", title=asset
    )


def observation_uuid(o: Observation) -> str:
    return stable_uuid("observation", *o.key)


def _observation(
    o: Observation, provenance: Provenance, found: dict[str, Tool], assets: set[str]
) -> oscal.Observation:
    return oscal.Observation(
        uuid=observation_uuid(o),
        title=f"{o.check} on {o.stack}/{o.logical_id}",
        description=o.title or o.check,
        props=[
            prop("result", o.result),
            prop("source", o.source),
            prop("resource-type", o.resource_type),
            prop("property-path", o.property_path),
            prop("template-sha256", o.template_sha256),
            prop("commit", provenance.commit),
            *(prop("control", control_label(c)) for c in o.controls),
        ],
        methods=["EXAMINE"],
        types=["control-objective"] if o.controls else ["finding"],
        origins=[origin(o, found)],
        subjects=[_subject(o, assets)],
        collected=provenance.committed_at,
        relevant_evidence=[
            oscal.RelevantEvidence(
                description=f"{o.property_path} = {o.value}"[:1000],
                remarks=o.reason or None,
            )
        ],
    )


def _open(observations: list[Observation]) -> list[Observation]:
    return [o for o in observations if o.result in (FAIL, ACKNOWLEDGED)]


def assessment_plan(provenance: Provenance, found: dict[str, Tool]) -> ap.AssessmentPlan:
    """What the automated assessment does: a static review of every template by these tools."""
    return ap.AssessmentPlan(
        uuid=stable_uuid("assessment-plan"),
        metadata=metadata("PCS Platform automated assessment plan", provenance),
        import_ssp=oscal.ImportSsp(href=SSP_HREF),
        local_definitions=ap.LocalDefinitions(components=tool_components(found)),
        reviewed_controls=oscal.ReviewedControls(
            control_selections=[oscal.ControlSelection(include_all=oscal.IncludeAll())]
        ),
        terms_and_conditions=ap.TermsAndConditions(
            parts=[
                oscal.AssessmentPart(
                    name="methodology",
                    title="Static configuration review",
                    prose="Each tool reads every resource of every synthesized CloudFormation "
                    "template (EXAMINE); the templates' SHA-256 and the commit are recorded with "
                    "each observation. Runtime tests are AWS Config's conformance pack in the "
                    "account, which each of the project's rules names.",
                )
            ]
        ),
    )


def assessment_results(
    observations: list[Observation],
    provenance: Provenance,
    found: dict[str, Tool],
    assets: set[str],
) -> ar.AssessmentResults:
    """One result holding every observation, with a finding for each failing or acknowledged one."""
    findings = []
    for o in _open(observations):
        for control in o.controls:
            acknowledged = o.result == ACKNOWLEDGED
            findings.append(
                oscal.Finding(
                    uuid=stable_uuid("finding", *o.key, control),
                    title=f"{o.check}: {o.stack}/{o.logical_id}",
                    description=o.reason or o.title or o.check,
                    target=oscal.FindingTarget(
                        type="objective-id",
                        target_id=f"{control}_obj",
                        # An acknowledged failure is still a failure: the compensating control
                        # is a risk adjustment (POA&M), not satisfaction of the objective.
                        status=oscal.ObjectiveStatus(
                            state="not-satisfied",
                            reason="other" if acknowledged else "fail",
                            remarks="risk adjustment: compensating control acknowledged beside "
                            "the resource"
                            if acknowledged
                            else None,
                        ),
                    ),
                    related_observations=[
                        oscal.RelatedObservation(observation_uuid=observation_uuid(o))
                    ],
                )
            )
    result = ar.Result(
        uuid=stable_uuid("result"),
        title="Automated checks of the synthesized templates",
        description="cdk-nag (NIST 800-53 R5, AwsSolutions) and the project's own rules, "
        "applied to every resource of every stack.",
        start=provenance.committed_at,
        local_definitions=ar.LocalDefinitions1(components=tool_components(found)),
        reviewed_controls=oscal.ReviewedControls(
            control_selections=[oscal.ControlSelection(include_all=oscal.IncludeAll())]
        ),
        observations=[_observation(o, provenance, found, assets) for o in observations] or None,
        findings=findings or None,
    )
    return ar.AssessmentResults(
        uuid=stable_uuid("assessment-results"),
        metadata=metadata("PCS Platform automated assessment results", provenance),
        import_ap=ar.ImportAp(href=AP_HREF),
        results=[result],
    )


def _risk(
    key: str,
    title: str,
    statement: str,
    controls: list[str],
    kind: str,
    found: dict[str, Tool],
    source: str,
    observations: list[Observation],
    committed_at: datetime,
) -> oscal.Risk:
    due = committed_at + timedelta(days=responsibility()["planned_completion_days"])
    fix = kind == FAIL
    milestone = (
        "Fix the resource's configuration, or acknowledge it beside the resource with the "
        "compensating control"
        if fix
        else "Review the compensating control with the system owner and the assessor"
    )
    return oscal.Risk(
        uuid=stable_uuid("risk", key),
        title=title,
        description=statement,
        statement=statement,
        props=[prop("impacted-control-id", c, fedramp=True) for c in controls] or None,
        status="open" if fix else "deviation-requested",
        origins=[
            oscal.Origin(actors=[oscal.OriginActor(type="tool", actor_uuid=found[source].uuid)])
        ],
        characterizations=[
            oscal.Characterization(
                origin=oscal.Origin(
                    actors=[oscal.OriginActor(type="tool", actor_uuid=found[source].uuid)]
                ),
                facets=[
                    oscal.Facet(
                        name="risk",
                        system="https://fedramp.gov/ns/oscal",
                        value=_RISK[kind],
                        props=[prop("state", "initial" if fix else "residual")],
                    )
                ],
            )
        ],
        deadline=due,
        remediations=[
            oscal.Response(
                uuid=stable_uuid("remediation", key),
                lifecycle="planned",
                title="Remediation plan" if fix else "Risk adjustment",
                description=milestone + ".",
                tasks=[
                    oscal.Task(
                        uuid=stable_uuid("milestone", key),
                        type="milestone",
                        title=milestone,
                        timing=oscal.Timing1(
                            within_date_range=oscal.WithinDateRange(start=committed_at, end=due)
                        ),
                    )
                ],
            )
        ],
        related_observations=[
            oscal.RelatedObservation(observation_uuid=observation_uuid(o)) for o in observations
        ]
        or None,
    )


def plan_of_action(
    observations: list[Observation],
    control_statuses: dict[str, ControlStatus],
    provenance: Provenance,
    found: dict[str, Tool],
    assets: set[str],
) -> poam.PlanOfActionAndMilestones:
    """A weakness per failing or acknowledged check and stack, and per recorded deviation."""
    grouped: dict[tuple[str, str, str], list[Observation]] = defaultdict(list)
    for o in _open(observations):
        grouped[(o.result, o.check, o.stack)].append(o)
    entries = []
    for (result, check, stack), found_here in sorted(grouped.items()):
        resources = ", ".join(sorted(o.logical_id for o in found_here))
        what = (
            "fails"
            if result == FAIL
            else "is acknowledged (risk adjusted by a compensating control)"
        )
        reason = found_here[0].reason
        controls = sorted({c for o in found_here for c in o.controls})
        description = f"Resources: {resources}." + (
            f" Compensating control: {reason}" if reason else ""
        )
        tool = found[found_here[0].source]
        entries.append(
            (f"{result}:{check}:{stack}", f"{check} {what} in {stack}", description, controls,
             result, found_here[0].source, found_here, f"{tool.title} {tool.version}")
        )  # fmt: skip
    for control, status in control_statuses.items():
        if status.deviation:
            title = (
                f"{control_label(control)} {moderate()[control].title}: deviation recorded in "
                f"{status.deviation.decision}"
            )
            entries.append(
                (f"deviation:{control}", title, status.deviation.statement, [control],
                 "deviation", "pcs", [], f"the decision record {status.deviation.decision}")
            )  # fmt: skip
    risks, items = [], []
    for number, entry in enumerate(entries, 1):
        key, title, description, controls, kind, source, linked, weakness = entry
        risk = _risk(key, title, description, controls, kind, found, source, linked,
                     provenance.committed_at)  # fmt: skip
        risks.append(risk)
        items.append(
            poam.PoamItem(
                uuid=stable_uuid("poam-item", key),
                title=title,
                description=description,
                props=[prop("POAM-ID", f"PCS-{number:04d}", fedramp=True)],
                origins=[poam.Origination(actors=risk.origins[0].actors)],
                related_observations=[
                    oscal.RelatedObservation(observation_uuid=observation_uuid(o)) for o in linked
                ]
                or None,
                related_risks=[oscal.AssociatedRisk(risk_uuid=risk.uuid)],
                remarks=f"Weakness source: {weakness}.",
            )
        )
    linked_observations = [_observation(o, provenance, found, assets) for o in _open(observations)]
    return poam.PlanOfActionAndMilestones(
        uuid=stable_uuid("poam"),
        metadata=metadata("PCS Platform plan of action and milestones", provenance),
        import_ssp=oscal.ImportSsp(href=SSP_HREF),
        local_definitions=poam.LocalDefinitions(components=tool_components(found)),
        observations=linked_observations or None,
        risks=risks or None,
        poam_items=items,
    )
