"""Every container runs on a read-only root filesystem; what it writes is an explicit volume,
declared in its image so the unprivileged user can write it (issue 12: none had one)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.infra.conftest import resources

ROOT = Path(__file__).resolve().parents[3]
# ECS Exec's SSM agent runs as root: its paths need no VOLUME for ownership.
EXEC_PATHS = {"/var/lib/amazon", "/var/log/amazon"}


def _definitions(result) -> list[dict]:
    """The primary region's task definitions (the compute stack)."""
    definitions = resources(result, "compute", "AWS::ECS::TaskDefinition").values()
    return [r["Properties"] for r in definitions]


def _all_containers(result) -> list[dict]:
    """Every container of every task definition of every stack."""
    return [
        container
        for stack in result.stacks.values()
        for r in stack.template["Resources"].values()
        if r["Type"] == "AWS::ECS::TaskDefinition"
        for container in r["Properties"]["ContainerDefinitions"]
    ]


def _declared_volumes(dockerfile: Path) -> set[str]:
    return set(re.findall(r'^VOLUME \["([^"]+)"\]$', dockerfile.read_text(), re.M))


@pytest.mark.parametrize("env_name", ["prod", "dev"])
def test_every_container_has_a_read_only_root_filesystem(request, env_name):
    containers = _all_containers(request.getfixturevalue(env_name))
    assert len(containers) >= 5  # api, worker, beat, migrate, web (and the DR region's, if any)
    assert [c["Name"] for c in containers if c.get("ReadonlyRootFilesystem") is not True] == []


def test_each_mount_is_a_task_volume_and_each_volume_is_mounted(prod):
    for definition in _definitions(prod):
        (container,) = definition["ContainerDefinitions"]
        mounted = {m["SourceVolume"] for m in container["MountPoints"]}
        assert mounted == {v["Name"] for v in definition["Volumes"]}
        assert all(m["ReadOnly"] is False for m in container["MountPoints"])


def test_the_writable_paths_are_tmp_the_next_cache_and_the_exec_agents(prod):
    paths = {
        definition["Family"]: {m["ContainerPath"] for m in c["MountPoints"]}
        for definition in _definitions(prod)
        for c in definition["ContainerDefinitions"]
    }
    assert paths["pcs-prod-migrate"] == {"/tmp"}
    assert paths["pcs-prod-web"] == {"/app/.next/cache"}
    for service in ("api", "worker", "beat"):  # services that allow ECS Exec
        assert paths[f"pcs-prod-{service}"] == {"/tmp"} | EXEC_PATHS


@pytest.mark.parametrize(
    ("family", "dockerfile"),
    [("api", "service/Dockerfile"), ("worker", "service/Dockerfile"), ("web", "web/Dockerfile")],
)
def test_every_path_the_app_writes_is_a_volume_its_image_declares(prod, family, dockerfile):
    (definition,) = [d for d in _definitions(prod) if d["Family"] == f"pcs-prod-{family}"]
    (container,) = definition["ContainerDefinitions"]
    written = {m["ContainerPath"] for m in container["MountPoints"]} - EXEC_PATHS
    assert written and written <= _declared_volumes(ROOT / dockerfile)
