"""Write the whole evidence package of one synthesized deployment into one folder."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from evidence import crypto, diagrams, flows, inventory, origin, ports
from evidence.assembly import read_assembly
from evidence.catalog import key_security_indicators, moderate
from evidence.coverage import Coverage, compute
from evidence.observations import FAIL, collect
from evidence.oscal.components import component_definition
from evidence.oscal.results import assessment_plan, assessment_results, plan_of_action
from evidence.oscal.ssp import system_security_plan
from evidence.oscal.tools import tools
from evidence.oscal.workspace import baseline_profile, document_path, write_workspace
from evidence.parameters import set_parameters
from evidence.provenance import Provenance
from evidence.status import ControlStatus, statuses
from evidence.tables import write_csv, write_json

OBSERVATION_COLUMNS = (
    "stack", "logical_id", "resource_type", "check", "source", "controls", "result", "reason",
    "property_path", "value", "template_sha256", "commit",
)  # fmt: skip


CONTROL_COLUMNS = (
    "control", "title", "status", "origination", "automated checks",
    "the project's mechanism checks", "customer responsibility",
)  # fmt: skip


def _control_rows(coverage: Coverage, control_statuses: dict[str, ControlStatus]):
    for control in moderate().values():
        status = control_statuses[control.id]
        yield [
            control.label,
            control.title,
            status.status,
            " ".join(status.origination),
            " ".join(coverage.checks_by_control.get(control.id, ())),
            " ".join(status.mechanism_checks),
            status.customer,
        ]


@dataclass(frozen=True)
class Summary:
    """The figures the command prints, each counted from the files it wrote."""

    observations: dict[str, int]
    coverage: Coverage
    assets: int
    not_assets: int
    port_rows: int
    poam_items: int
    statuses: Counter[str]
    unacknowledged: tuple[str, ...]  # "check on stack/logical id", each failing check
    files: tuple[Path, ...]


def write_package(assembly_dir: Path, out: Path, provenance: Provenance) -> Summary:
    assembly = read_assembly(assembly_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "diagrams").mkdir(exist_ok=True)

    observations = collect(assembly)
    write_csv(
        out / "observations.csv",
        OBSERVATION_COLUMNS,
        (
            [o.stack, o.logical_id, o.resource_type, o.check, o.source, " ".join(o.controls),
             o.result, o.reason, o.property_path, o.value, o.template_sha256, provenance.commit]
            for o in observations
        ),
    )  # fmt: skip
    coverage = compute(observations)
    control_statuses = statuses(observations, provenance.committed_at)
    write_csv(
        out / "coverage.csv",
        ("family", "controls in baseline", "controls with an automated check"),
        ([f.family.upper(), f.controls, f.checked] for f in coverage.families),
    )
    write_csv(out / "controls.csv", CONTROL_COLUMNS, _control_rows(coverage, control_statuses))
    write_csv(
        out / "ksi.csv",
        ("ksi", "name", "controls", "checks that evidence it"),
        (
            [k.id, k.name, " ".join(k.controls), " ".join(coverage.checks_by_ksi[k.id])]
            for k in key_security_indicators()
        ),
    )
    assets, others = inventory.rows(assembly)
    write_csv(out / "inventory.csv", inventory.COLUMNS, assets)
    write_csv(out / "not-assets.csv", ("resource", "type", "why it is not an asset"), others)
    port_rows = ports.table(assembly)
    write_csv(out / "ports-protocols-services.csv", ports.COLUMNS, port_rows)

    write_csv(out / "cryptographic-modules.csv", crypto.COLUMNS, crypto.table(assembly))

    graph = diagrams.build(assembly)
    diagrams.render(diagrams.boundary_dot(graph), out / "diagrams" / "boundary")
    diagrams.render(diagrams.data_flow_dot(graph), out / "diagrams" / "data-flow")

    prefix = assembly.prefix
    figures = {
        "boundary": ("../../../diagrams/boundary.svg", "image/svg+xml", "Authorization boundary"),
        "data-flow": (
            "../../../diagrams/data-flow.svg",
            "image/svg+xml",
            "Data flows with ports, protocols and transport security",
        ),
    }
    figures.update(flows.write(assembly, out / "diagrams"))
    found = tools(provenance)
    asset_ids = {row[0] for row in assets}
    plan = plan_of_action(observations, control_statuses, provenance, found, asset_ids)
    documents = {
        "component-definitions": component_definition(observations, provenance),
        "system-security-plans": system_security_plan(
            system_name=prefix,
            regions=graph.regions,
            observations=observations,
            control_statuses=control_statuses,
            parameters=set_parameters(assembly),
            inventory=assets,
            resource_types={f"{s.name}/{lid}": r["Type"] for s, lid, r in assembly.resources()},
            diagrams=figures,
            path_in=origin.data_flow_text(origin.path_in(assembly)),
            provenance=provenance,
        ),
        "assessment-plans": assessment_plan(provenance, found),
        "assessment-results": assessment_results(observations, provenance, found, asset_ids),
        "plan-of-action-and-milestones": plan,
        "profiles": baseline_profile(provenance),
    }
    workspace = out / "oscal"
    write_workspace(workspace)
    for folder, model in documents.items():
        # trestle wraps and serializes by OSCAL's names; write_json sorts keys for stable bytes.
        path = document_path(workspace, folder)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_json(path, json.loads(model.oscal_serialize_json()))

    counts = {result: 0 for result in ("pass", "acknowledged", FAIL)}
    for o in observations:
        counts[o.result] += 1
    return Summary(
        observations=counts,
        coverage=coverage,
        assets=len(assets),
        not_assets=len(others),
        port_rows=len(port_rows),
        poam_items=len(plan.poam_items),
        statuses=Counter(s.status for s in control_statuses.values()),
        unacknowledged=tuple(
            sorted(
                {f"{o.check} on {o.stack}/{o.logical_id}" for o in observations if o.result == FAIL}
            )
        ),
        files=tuple(sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())),
    )
