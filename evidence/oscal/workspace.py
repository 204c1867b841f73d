"""The package's ``oscal/`` folder is a compliance-trestle workspace, so ``trestle validate -a``
and ``trestle fedramp-validate`` run in it as they are: the baseline catalog under
``catalogs/``, a profile that selects all of it, and each document in its model's folder."""

from __future__ import annotations

import shutil
from importlib.resources import files
from pathlib import Path

from trestle.oscal import common as oscal
from trestle.oscal import profile as oscal_profile

from evidence.catalog import CATALOG
from evidence.oscal.common import metadata, stable_uuid
from evidence.provenance import Provenance

BASELINE = "fedramp-rev5-moderate"
SYSTEM = "pcs"
PROFILE_HREF = f"trestle://profiles/{BASELINE}/profile.json"
# FedRAMP's published baseline, which the SSP imports; the vendored copy is in its back-matter.
FEDRAMP_PROFILE_URL = (
    "https://raw.githubusercontent.com/GSA/fedramp-automation/master/dist/content/rev5/"
    "baselines/json/FedRAMP_rev5_MODERATE-baseline_profile.json"
)
# FedRAMP's validator reads the imported baseline as XML: the same resolved catalog as
# trestle-fedramp ships it (GSA/fedramp-automation), beside the vendored JSON.
_CATALOG_XML = (
    Path(files("trestle_fedramp").joinpath("resources"))
    / "fedramp-source/content/baselines/rev5/xml"
    / "FedRAMP_rev5_MODERATE-baseline-resolved-profile_catalog.xml"
)
CATALOG_FOLDER = f"catalogs/{BASELINE}"
# Outside trestle's model folders (trestle validates those and reads no XML).
CATALOG_XML = f"fedramp-baseline/{_CATALOG_XML.name}"
# An OASIS XML catalog for FedRAMP's validator: the SSP's import (trestle's href, the only one
# trestle resolves offline) is the vendored resolved-profile catalog in XML.
XML_CATALOG = "fedramp-baseline/xml-catalog.xml"
_FILES = {
    "component-definitions": "component-definition.json",
    "system-security-plans": "system-security-plan.json",
    "assessment-plans": "assessment-plan.json",
    "assessment-results": "assessment-results.json",
    "plan-of-action-and-milestones": "plan-of-action-and-milestones.json",
    "profiles": "profile.json",
}


def write_workspace(root: Path) -> None:
    """What ``trestle init`` would write, plus the vendored catalog."""
    (root / ".trestle").mkdir(parents=True, exist_ok=True)
    (root / ".trestle" / "config.ini").write_text("# trestle config file\n")
    catalog = root / CATALOG_FOLDER / "catalog.json"
    catalog.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(CATALOG, catalog)
    (root / CATALOG_XML).parent.mkdir(exist_ok=True)
    shutil.copyfile(_CATALOG_XML, root / CATALOG_XML)
    (root / XML_CATALOG).write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">\n'
        f'  <uri name="{PROFILE_HREF}" uri="{_CATALOG_XML.name}"/>\n'
        "</catalog>\n"
    )


def document_path(root: Path, folder: str) -> Path:
    name = BASELINE if folder == "profiles" else SYSTEM
    return root / folder / name / _FILES[folder]


def baseline_profile(provenance: Provenance) -> oscal_profile.Profile:
    """Every control of the vendored Moderate catalog (it is already the resolved baseline)."""
    return oscal_profile.Profile(
        uuid=stable_uuid("profile", BASELINE),
        metadata=metadata("FedRAMP Rev 5 Moderate baseline", provenance),
        imports=[
            oscal_profile.Import1(
                href=f"trestle://catalogs/{BASELINE}/catalog.json", include_all=oscal.IncludeAll()
            )
        ],
    )
