"""Cryptographic modules (SC-13): each module, its FIPS 140 certificate where one is published,
and the resources of the templates that rely on it."""

from __future__ import annotations

import tomllib
from collections import defaultdict

from evidence.assembly import Assembly
from evidence.catalog import DATA

COLUMNS = ("service", "what it protects", "module", "FIPS 140 certificate", "where used")
NONE_PUBLISHED = "none published (see docs/cryptography.md)"


def modules() -> list[dict]:
    return tomllib.loads((DATA / "cryptographic-modules.toml").read_text())["module"]


def table(assembly: Assembly) -> list[list[str]]:
    """One row per module, with the resources of these templates that use it."""
    users: dict[str, list[str]] = defaultdict(list)
    for stack, logical_id, resource in assembly.resources():
        users[resource["Type"]].append(f"{stack.name}/{logical_id}")
    return [
        [
            module["service"],
            module["protects"],
            module["module"],
            module["certificate"] or NONE_PUBLISHED,
            " ".join(sorted(r for t in module["resource_types"] for r in users[t])),
        ]
        for module in modules()
    ]
