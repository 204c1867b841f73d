"""Assessment results (every observation, a finding per failing check) and the POA&M."""

from __future__ import annotations

from collections import defaultdict

from trestle.oscal import assessment_results as ar
from trestle.oscal import common as oscal
from trestle.oscal import poam

from evidence.catalog import moderate, sort_key
from evidence.observations import ACKNOWLEDGED, FAIL, Observation
from evidence.oscal.common import control_label, metadata, prop, stable_uuid
from evidence.provenance import Provenance
from evidence.status import ControlStatus


def _observation(o: Observation, provenance: Provenance) -> oscal.Observation:
    return oscal.Observation(
        uuid=stable_uuid("observation", *o.key),
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
        methods=["TEST"],
        types=["control-objective"] if o.controls else ["finding"],
        collected=provenance.committed_at,
        relevant_evidence=[
            oscal.RelevantEvidence(
                description=f"{o.property_path} = {o.value}"[:1000] or "(empty)",
                remarks=o.reason or None,
            )
        ],
    )


def _open(observations: list[Observation]) -> list[Observation]:
    return [o for o in observations if o.result in (FAIL, ACKNOWLEDGED)]


def assessment_results(
    observations: list[Observation], provenance: Provenance
) -> ar.AssessmentResults:
    """One result holding every observation, with a finding for each failing or acknowledged one."""
    findings = []
    for o in _open(observations):
        for control in o.controls or ("",):
            if not control:
                continue
            findings.append(
                oscal.Finding(
                    uuid=stable_uuid("finding", *o.key, control),
                    title=f"{o.check}: {o.stack}/{o.logical_id}",
                    description=o.reason or o.title or o.check,
                    target=oscal.FindingTarget(
                        type="objective-id",
                        target_id=f"{control}_obj",
                        status=oscal.ObjectiveStatus(
                            state="not-satisfied" if o.result == FAIL else "satisfied",
                            reason="other" if o.result == ACKNOWLEDGED else None,
                            remarks="acknowledged with a compensating control"
                            if o.result == ACKNOWLEDGED
                            else None,
                        ),
                    ),
                    related_observations=[
                        oscal.RelatedObservation(
                            observation_uuid=stable_uuid("observation", *o.key)
                        )
                    ],
                )
            )
    result = ar.Result(
        uuid=stable_uuid("result"),
        title="Automated checks of the synthesized templates",
        description="cdk-nag (NIST 800-53 R5, AwsSolutions) and the project's own rules, "
        "applied to every resource of every stack.",
        start=provenance.committed_at,
        reviewed_controls=oscal.ReviewedControls(
            control_selections=[oscal.ControlSelection(include_all=oscal.IncludeAll())]
        ),
        observations=[_observation(o, provenance) for o in observations] or None,
        findings=findings or None,
    )
    return ar.AssessmentResults(
        uuid=stable_uuid("assessment-results"),
        metadata=metadata("PCS Platform automated assessment results", provenance),
        import_ap=ar.ImportAp(href="#assessment-plan-not-yet-written"),
        results=[result],
    )


def poam_items(
    observations: list[Observation],
    uncovered: list[str],
    control_statuses: dict[str, ControlStatus],
) -> list[tuple[str, str, str]]:
    """(id, title, description) of each open item: failing or acknowledged checks grouped by
    check and stack, each deviation recorded in a decision, then each control that needs a
    human answer."""
    grouped: dict[tuple[str, str, str], list[Observation]] = defaultdict(list)
    for o in _open(observations):
        grouped[(o.result, o.check, o.stack)].append(o)
    items = []
    for (result, check, stack), found in sorted(grouped.items()):
        resources = ", ".join(sorted(o.logical_id for o in found))
        what = (
            "fails"
            if result == FAIL
            else "is acknowledged (risk accepted with a compensating control)"
        )
        reason = found[0].reason
        items.append(
            (
                f"{result}:{check}:{stack}",
                f"{check} {what} in {stack}",
                f"Resources: {resources}." + (f" Compensating control: {reason}" if reason else ""),
            )
        )
    for control, status in control_statuses.items():
        if status.deviation:
            items.append(
                (
                    f"deviation:{control}",
                    f"{control_label(control)} {moderate()[control].title}: deviation "
                    f"recorded in {status.deviation.decision}",
                    status.deviation.statement,
                )
            )
    for control in sorted(uncovered, key=sort_key):
        items.append(
            (
                f"human:{control}",
                f"{control_label(control)} {moderate()[control].title}: needs human input",
                "No automated check evidences this control; the system owner writes its "
                "implementation statement and the assessor tests it.",
            )
        )
    return items


def plan_of_action(
    observations: list[Observation],
    uncovered: list[str],
    control_statuses: dict[str, ControlStatus],
    provenance: Provenance,
) -> poam.PlanOfActionAndMilestones:
    return poam.PlanOfActionAndMilestones(
        uuid=stable_uuid("poam"),
        metadata=metadata("PCS Platform plan of action and milestones", provenance),
        poam_items=[
            poam.PoamItem(uuid=stable_uuid("poam-item", key), title=title, description=description)
            for key, title, description in poam_items(observations, uncovered, control_statuses)
        ],
    )
