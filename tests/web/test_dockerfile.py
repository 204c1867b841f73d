"""Facts about the portal's image, read from web/Dockerfile (Docker cannot run here)."""

from __future__ import annotations

import json
import re
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "web"
DOCKERFILE = (WEB / "Dockerfile").read_text()
# One instruction per entry: continuation lines joined, comments dropped.
INSTRUCTIONS = [
    line.strip()
    for line in re.sub(r"\\\n\s*", " ", DOCKERFILE).splitlines()
    if line.strip() and not line.lstrip().startswith("#")
]
RUNTIME = INSTRUCTIONS[max(i for i, line in enumerate(INSTRUCTIONS) if line.startswith("FROM ")) :]


def test_the_image_is_multi_stage_and_installs_from_the_lock_file() -> None:
    assert sum(line.startswith("FROM ") for line in INSTRUCTIONS) >= 3
    assert "COPY package.json package-lock.json ./" in INSTRUCTIONS
    assert "RUN npm ci --no-audit --no-fund" in INSTRUCTIONS
    assert not any("npm install" in line for line in INSTRUCTIONS)


def test_the_runtime_holds_only_the_standalone_server_and_runs_it_unprivileged() -> None:
    copies = [line for line in RUNTIME if line.startswith("COPY ")]
    assert copies == [
        "COPY --from=build --chown=root:root /src/.next/standalone ./",
        "COPY --chown=root:root tls-front.mjs ./",
    ]
    user = next(line for line in reversed(RUNTIME) if line.startswith("USER "))
    assert user.split()[1].split(":")[0] not in ("root", "0")
    assert RUNTIME[-1] == 'CMD ["node", "tls-front.mjs"]'  # which runs server.js


def test_only_the_cache_directory_is_writable_for_a_read_only_root_filesystem() -> None:
    writable = [line for line in RUNTIME if "chown 10001" in line]
    assert writable == ["RUN mkdir -p .next/cache && chown 10001:10001 .next/cache"]


def test_the_port_and_health_check_match_the_app() -> None:
    assert "EXPOSE 3000" in RUNTIME
    healthcheck = next(line for line in RUNTIME if line.startswith("HEALTHCHECK"))
    # The scheme the entry point serves (SERVE_TLS), the port it listens on, no curl.
    assert "SERVE_TLS==='true'?'https':'http'" in healthcheck
    assert "port:process.env.PORT,path:'/healthz'" in healthcheck
    assert (WEB / "app" / "healthz" / "route.ts").exists()


def test_the_build_copies_static_assets_into_the_standalone_server() -> None:
    build = json.loads((WEB / "package.json").read_text())["scripts"]["build"]
    assert build == "next build && cp -r .next/static .next/standalone/.next/static"
    config = (WEB / "next.config.ts").read_text()
    assert 'output: "standalone"' in config


def test_the_base_image_is_pinned_by_digest_and_every_stage_uses_it() -> None:
    (base,) = re.findall(r"^ARG NODE_IMAGE=(\S+)$", DOCKERFILE, re.M)
    assert re.fullmatch(r"node:\d+-bookworm-slim@sha256:[0-9a-f]{64}", base)
    assert all(
        line.split()[1] == "${NODE_IMAGE}" for line in INSTRUCTIONS if line.startswith("FROM ")
    )


def test_the_cache_directory_is_a_declared_volume_so_fargate_keeps_its_owner() -> None:
    assert 'VOLUME ["/app/.next/cache"]' in RUNTIME
    assert not any("curl" in line for line in INSTRUCTIONS)
