"""Helpers for the data tier's templates: one resource by type, references by name."""

from __future__ import annotations

from infra.synth import SynthResult
from tests.infra.conftest import resources


def only(result: SynthResult, stack: str, resource_type: str) -> dict:
    """The properties of the one resource of ``resource_type`` in ``stack``."""
    (resource,) = resources(result, stack, resource_type).values()
    return resource["Properties"]


def imported(reference: object) -> str:
    """The export name behind an ``Fn::ImportValue`` (how the data stack reaches keys, groups)."""
    assert isinstance(reference, dict) and "Fn::ImportValue" in reference, reference
    return reference["Fn::ImportValue"]


def by_name(result: SynthResult, stack: str, resource_type: str, key: str) -> dict[str, dict]:
    """``{properties[key]: properties}`` for the resources of ``resource_type`` named by ``key``."""
    return {
        r["Properties"][key]: r["Properties"]
        for r in resources(result, stack, resource_type).values()
        if key in r["Properties"]
    }
