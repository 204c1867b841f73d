"""The FIPS 140 validations the platform's cryptographic modules rely on, as the SSP's
``validation`` components: one per NIST CMVP certificate that
evidence/data/cryptographic-modules.toml names, with what each protects (a module with no
published certificate has none)."""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict

from trestle.oscal import common as oscal

from evidence.catalog import DATA
from evidence.oscal.common import prop, stable_uuid

CMVP = "https://csrc.nist.gov/projects/cryptographic-module-validation-program/certificate/"
_NUMBER = re.compile(r"FIPS (140-[23])\b.*#(\d{3,4})\b")


def validation_components() -> list[oscal.SystemComponent]:
    """One component per certificate, in the order the modules are listed."""
    modules = tomllib.loads((DATA / "cryptographic-modules.toml").read_text())["module"]
    by_certificate: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for module in modules:
        if match := _NUMBER.search(module["certificate"]):
            by_certificate[match.groups()].append(module)
    return [
        oscal.SystemComponent(
            uuid=stable_uuid("validation", number),
            type="validation",
            title=f"{found[0]['module']} (FIPS {standard}, certificate #{number})",
            description="; ".join(f"{m['service']}: {m['protects']}" for m in found),
            props=[
                prop("asset-type", "cryptographic-module", fedramp=True),
                prop("validation-type", f"fips-{standard}"),
                prop("validation-reference", number),
            ],
            links=[oscal.Link(href=f"{CMVP}{number}", rel="validation-details")],
            status=oscal.Status(state="operational"),
        )
        for (standard, number), found in by_certificate.items()
    ]
