"""The FedRAMP Rev 5 Moderate baseline (vendored OSCAL catalog) and control-id parsing."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("data")
CATALOG = DATA / "FedRAMP_rev5_MODERATE-baseline-resolved-profile_catalog.json"
RULES = DATA / "FRMR.documentation.json"

# "AU-9(3)", "CP-9d", "PM-14a.1", "CM-5(1)(b)": control, optional enhancement, then parts that
# name a statement item of the same control (items are not separate controls in the baseline).
_CONTROL_ID = re.compile(r"\b([A-Z]{2})-(\d+)(?:\((\d+)\))?")
_CONTROL_LIST = re.compile(r"Control IDs?: (.*)$", re.DOTALL)


@dataclass(frozen=True)
class Control:
    id: str  # OSCAL id, e.g. "ac-2.3"
    label: str  # "AC-2(3)"
    title: str
    family: str  # "ac"


@dataclass(frozen=True)
class KeySecurityIndicator:
    id: str
    name: str
    statement: str
    controls: tuple[str, ...]


@cache
def moderate() -> dict[str, Control]:
    """Every control and enhancement of the baseline, by OSCAL id, in catalog order."""
    catalog = json.loads(CATALOG.read_text())["catalog"]
    controls: dict[str, Control] = {}

    def walk(items: list[dict], family: str) -> None:
        for item in items:
            label = next(
                (p["value"] for p in item.get("props", []) if p["name"] == "label"), item["id"]
            )
            controls[item["id"]] = Control(item["id"], label, item["title"], family)
            walk(item.get("controls", []), family)

    for group in catalog["groups"]:
        walk(group.get("controls", []), group["id"])
    return controls


@cache
def _controls() -> tuple[dict, ...]:
    """Every control and enhancement of the vendored catalog as it is written, in catalog order."""
    catalog = json.loads(CATALOG.read_text())["catalog"]
    found: list[dict] = []

    def walk(items: list[dict]) -> None:
        for item in items:
            found.append(item)
            walk(item.get("controls", []))

    for group in catalog["groups"]:
        walk(group.get("controls", []))
    return tuple(found)


@cache
def fedramp_values() -> dict[str, str]:
    """Parameter id -> the value FedRAMP fixes for it (its constraint), where it fixes one."""
    return {
        param["id"]: constraint["description"]
        for item in _controls()
        for param in item.get("params", [])
        for constraint in param.get("constraints", [])
        if "description" in constraint
    }


@dataclass(frozen=True)
class Part:
    id: str  # "ac-7_smt.a", or the statement's own "au-11_smt"
    label: str  # "a.", or "" for a statement without items
    prose: str  # with its "{{ insert: param, ... }}" placeholders


_INSERT = re.compile(r"\{\{ insert: param, ([^ }]+) \}\}")


@cache
def statement_parts() -> dict[str, tuple[Part, ...]]:
    """Control -> the parts of its statement an SSP answers (its items, else the statement)."""
    found: dict[str, tuple[Part, ...]] = {}

    def text(part: dict) -> str:
        return " ".join([part.get("prose", ""), *(text(p) for p in part.get("parts", []))])

    for item in _controls():
        statement = next(p for p in item.get("parts", []) if p["name"] == "statement")
        items = [p for p in statement.get("parts", []) if p["name"] == "item" and "_smt" in p["id"]]
        found[item["id"]] = tuple(
            Part(
                p["id"],
                next((x["value"] for x in p.get("props", []) if x["name"] == "label"), ""),
                " ".join((text(p) if items else p.get("prose", "")).split()),
            )
            for p in items or [statement]
        )
    return found


def inserted_parameters(prose: str) -> tuple[str, ...]:
    """The parameter ids a part's prose inserts, in order."""
    return tuple(dict.fromkeys(_INSERT.findall(prose)))


def _asks(param: dict) -> str:
    choices = param.get("select", {}).get("choice", [])
    said = " / ".join(" ".join(_INSERT.sub("...", choice).split()) for choice in choices)
    return param.get("label") or f"selection (one of: {said})"


@cache
def parameter_labels() -> dict[str, str]:
    """Parameter id -> what it asks for (its label, or its choices)."""
    return {param["id"]: _asks(param) for item in _controls() for param in item.get("params", [])}


def families() -> list[str]:
    """The baseline's control families in catalog order."""
    return list(dict.fromkeys(c.family for c in moderate().values()))


def control_ids(text: str) -> tuple[str, ...]:
    """The baseline controls a cdk-nag rule's text names, as OSCAL ids (sorted, unique).

    cdk-nag's NIST 800-53 R5 rules end their text with "(Control IDs: AC-4, SC-7(3), ...)";
    ids outside the Moderate baseline (PM-*, for example) are dropped.
    """
    found = set()
    for listing in _CONTROL_LIST.findall(text):
        for family, number, enhancement in _CONTROL_ID.findall(listing):
            oscal_id = f"{family.lower()}-{number}" + (f".{enhancement}" if enhancement else "")
            if oscal_id in moderate():
                found.add(oscal_id)
    return tuple(sorted(found, key=sort_key))


def sort_key(oscal_id: str) -> tuple:
    """Catalog order for OSCAL control ids (ac-2 < ac-2.1 < ac-10)."""
    family, _, rest = oscal_id.partition("-")
    return (family, *(int(n) for n in rest.split(".")))


@cache
def key_security_indicators() -> tuple[KeySecurityIndicator, ...]:
    """FedRAMP 20x KSIs with the 800-53 controls each names (baseline ids only)."""
    themes = json.loads(RULES.read_text())["KSI"]
    indicators = []
    for theme in themes.values():
        for ksi_id, ksi in theme["indicators"].items():
            statement = ksi.get("statement") or ksi["varies_by_level"]["moderate"]["statement"]
            controls = tuple(c for c in ksi.get("controls", ()) if c in moderate())
            indicators.append(KeySecurityIndicator(ksi_id, ksi["name"], statement, controls))
    return tuple(sorted(indicators, key=lambda k: k.id))
