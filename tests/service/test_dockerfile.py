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


def test_the_runtime_runs_as_a_non_root_user() -> None:
    users = [i.split()[1] for i in final_stage() if i.startswith("USER ")]
    assert users, "no USER in the runtime stage"
    assert users[-1].split(":")[0] not in ("root", "0")


def test_the_api_port_and_default_command() -> None:
    assert "EXPOSE 8000" in final_stage()
    assert final_stage()[-1] == 'CMD ["/app/bin/api"]'


def test_the_health_check_tool_is_installed_in_the_runtime_stage() -> None:
    healthcheck = next(i for i in final_stage() if i.startswith("HEALTHCHECK"))
    assert "curl" in healthcheck and "http://localhost:8000/health" in healthcheck
    installs = " ".join(i for i in final_stage() if "apt-get install" in i)
    assert re.search(r"\bcurl\b", installs)


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
