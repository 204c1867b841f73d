"""What every OSCAL document shares: stable UUIDs, metadata dated by the commit, FedRAMP props."""

from __future__ import annotations

import uuid

from trestle.oscal import OSCAL_VERSION
from trestle.oscal import common as oscal

from evidence.provenance import Provenance

# UUIDs are derived from names so that two runs on one commit write the same bytes.
_NAMESPACE = uuid.UUID("5b1f2f7e-4a6c-4f1e-9a8e-2f6d2c0e9b11")
FEDRAMP_NS = "https://fedramp.gov/ns/oscal"


def stable_uuid(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))


def metadata(
    title: str, provenance: Provenance, parties: list[oscal.Parties] | None = None
) -> oscal.Metadata:
    return oscal.Metadata(
        title=title,
        last_modified=provenance.committed_at,
        version=provenance.commit,
        oscal_version=OSCAL_VERSION,
        roles=[
            oscal.Role(id="system-owner", title="System Owner"),
            oscal.Role(id="platform-engineering", title="Platform engineering"),
        ],
        parties=parties or None,
    )


def prop(
    name: str, value: str, *, fedramp: bool = False, remarks: str | None = None
) -> oscal.Property:
    return oscal.Property(
        name=name, value=value, ns=FEDRAMP_NS if fedramp else None, remarks=remarks
    )


def control_label(oscal_id: str) -> str:
    family, _, rest = oscal_id.partition("-")
    number, _, enhancement = rest.partition(".")
    return f"{family.upper()}-{number}" + (f"({enhancement})" if enhancement else "")
