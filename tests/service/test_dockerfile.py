"""Facts about the service image, read from service/Dockerfile (Docker cannot run here)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCKERFILE = (REPO / "service" / "Dockerfile").read_text()
INSTRUCTIONS = [
    line.strip()
    for line in re.sub(r"\\\n", " ", DOCKERFILE).splitlines()
    if line.strip() and not line.lstrip().startswith("#")
]


def stages() -> list[list[str]]:
    """Instructions grouped by FROM."""
    grouped: list[list[str]] = []
    for instruction in INSTRUCTIONS:
        if instruction.startswith("FROM "):
            grouped.append([])
        if grouped:
            grouped[-1].append(instruction)
    return grouped


def final_stage() -> list[str]:
    """The runtime stage's instructions."""
    return stages()[-1]


def test_the_image_is_multi_stage_on_a_slim_python_base() -> None:
    assert len(stages()) >= 2
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.\d+-slim", DOCKERFILE, re.M)
    assert all(stage[0].startswith("FROM ${PYTHON_IMAGE}") for stage in stages())


def test_the_base_image_is_pinned_by_digest() -> None:
    (base,) = re.findall(r"^ARG PYTHON_IMAGE=(\S+)$", DOCKERFILE, re.M)
    assert re.fullmatch(r"python:3\.\d+-slim-bookworm@sha256:[0-9a-f]{64}", base)


def test_the_runtime_runs_as_a_non_root_user() -> None:
    users = [i.split()[1] for i in final_stage() if i.startswith("USER ")]
    assert users, "no USER in the runtime stage"
    assert users[-1].split(":")[0] not in ("root", "0")


def test_the_api_port_and_default_command() -> None:
    assert "EXPOSE 8000" in final_stage()
    assert final_stage()[-1] == 'CMD ["/app/bin/api"]'


def test_the_health_check_is_the_images_python_script_and_there_is_no_curl() -> None:
    healthcheck = next(i for i in final_stage() if i.startswith("HEALTHCHECK"))
    assert healthcheck.endswith('CMD ["/app/bin/healthcheck", "/health", "4"]')
    assert not re.search(r"\bcurl\b", " ".join(INSTRUCTIONS))
    assert not any("apt-get install" in i for i in final_stage())
    script = (REPO / "service" / "bin" / "healthcheck").read_text()
    imports = set(re.findall(r"^import ([\w.]+)$", script, re.M))
    assert imports == {"os", "ssl", "sys", "urllib.request"}  # standard library: no Django


def test_tmp_is_a_declared_volume_for_the_read_only_root_filesystem() -> None:
    assert 'VOLUME ["/tmp"]' in final_stage()


def test_dependencies_come_from_the_lock_file() -> None:
    build = " ".join(stages()[0])
    assert "COPY pyproject.toml uv.lock" in build
    assert "uv export --frozen --no-dev" in build
    assert "--constraint /tmp/locked.txt" in build


def test_every_service_requirement_is_a_project_dependency() -> None:
    declared = {
        re.split(r"[=<>\[ ]", dep, maxsplit=1)[0].lower()
        for dep in tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    }
    wanted = [
        re.split(r"[\[ ]", line, maxsplit=1)[0].lower()
        for line in (REPO / "service" / "requirements.in").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert wanted and set(wanted) <= declared


def test_the_rds_ca_bundle_lands_where_production_settings_look_for_it() -> None:
    settings_text = (REPO / "service" / "pcs" / "settings" / "production.py").read_text()
    path = re.search(r'RDS_CA_BUNDLE = "([^"]+)"', settings_text).group(1)
    add = next(i for i in final_stage() if "global-bundle.pem" in i)
    assert add.startswith("ADD --chmod=0444 https://truststore.pki.rds.amazonaws.com/")
    assert add.endswith(path)


def test_the_image_builds_for_arm64_and_x86_64() -> None:
    assert "--platform" not in " ".join(i for i in INSTRUCTIONS if i.startswith("FROM"))
    assert not re.search(r"amd64|x86_64|aarch64|arm64", " ".join(INSTRUCTIONS))


@pytest.mark.parametrize("instruction", ["ENV", "ARG"])
def test_no_secret_is_baked_into_the_image(instruction: str) -> None:
    secretish = re.compile(r"(SECRET|PASSWORD|TOKEN|KEY)\b", re.I)
    for line in INSTRUCTIONS:
        if line.startswith(instruction + " "):
            assert not secretish.search(line), line


def test_the_build_context_excludes_everything_but_the_service_and_lock() -> None:
    ignore = (REPO / "service" / "Dockerfile.dockerignore").read_text().split()
    assert ignore[ignore.index("*") :][:4] == ["*", "!pyproject.toml", "!uv.lock", "!service/"]
