"""The assessment's tools as OSCAL components: what made each observation, at which version."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import version

from trestle.oscal import common as oscal

from evidence.observations import Observation
from evidence.oscal.common import prop, stable_uuid
from evidence.provenance import Provenance


@dataclass(frozen=True)
class Tool:
    key: str
    title: str
    version: str
    origin: str

    @property
    def uuid(self) -> str:
        return stable_uuid("tool", self.key)


def tools(provenance: Provenance) -> dict[str, Tool]:
    """By observation source: cdk-nag's two packs and this project's rules."""
    nag, cdk = version("cdk-nag"), version("aws-cdk-lib")
    nag_origin = (
        f"PyPI cdk-nag {nag} (its JavaScript rules, loaded by evidence/nag/evaluate.js over the "
        f"templates with aws-cdk-lib {cdk}'s CfnInclude)"
    )
    return {
        "cdk-nag NIST.800.53.R5": Tool(
            "cdk-nag-nist", "cdk-nag NIST 800-53 Rev 5 pack", nag, nag_origin
        ),
        "cdk-nag AwsSolutions": Tool("cdk-nag-aws", "cdk-nag AwsSolutions pack", nag, nag_origin),
        "pcs": Tool(
            "pcs-rules",
            "PCS Platform evidence rules",
            provenance.commit,
            "evidence/rules.py, evidence/mechanisms.py, evidence/release_path.py and "
            "evidence/origin.py of the PCS Platform repository",
        ),
    }


def tool_components(found: dict[str, Tool]) -> list[oscal.SystemComponent]:
    return [
        oscal.SystemComponent(
            uuid=tool.uuid,
            type="software",
            title=tool.title,
            description=f"Static configuration review of the synthesized CloudFormation templates; "
            f"origin: {tool.origin}.",
            props=[prop("version", tool.version), prop("asset-type", "software", fedramp=True)],
            status=oscal.Status(state="operational"),
        )
        for tool in found.values()
    ]


def origin(o: Observation, found: dict[str, Tool]) -> oscal.Origin:
    return oscal.Origin(actors=[oscal.OriginActor(type="tool", actor_uuid=found[o.source].uuid)])
