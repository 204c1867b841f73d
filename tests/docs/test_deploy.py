"""docs/deploy.md walks through the README's deploy lines, and every command it names exists.

The commands are read out of the documents' code blocks: make targets against the Makefile, AWS
CLI commands against botocore's service models (the CLI is generated from them), repository
paths against the checkout.
"""

from __future__ import annotations

import re
from pathlib import Path

import botocore.session
import pytest
from botocore import xform_name

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
DEPLOY = (ROOT / "docs" / "deploy.md").read_text()
CODE_BLOCK = re.compile(r"```(?:sh|bash)\n(.*?)```", re.DOTALL)
# AWS CLI v2 commands written in the CLI itself, not generated from a botocore model.
CLI_CUSTOMIZATIONS = {("ecr", "get-login-password"), ("logs", "tail")}


def _blocks(text: str) -> list[str]:
    return CODE_BLOCK.findall(text)


def _readme_deploy_lines() -> list[str]:
    section = README[README.index("## Deploying") :]
    (block,) = _blocks(section)[:1]
    return [line for line in block.splitlines() if line.strip()]


def _commands() -> str:
    return "\n".join(_blocks(DEPLOY) + _blocks(README))


def test_the_readme_deploy_lines_are_walked_through_in_order():
    lines = _readme_deploy_lines()
    assert len(lines) >= 4
    first, *steps = _blocks(DEPLOY)
    assert first.splitlines() == lines  # the guide opens with them, copied exactly
    walked = "\n".join(steps).splitlines()
    positions = [walked.index(line) for line in lines]  # ValueError: a line not walked through
    assert positions == sorted(positions)


def test_no_unpinned_cdk_cli_is_named():
    commands = _commands()
    assert "aws-cdk@" not in commands and "npx --yes" not in commands


def _makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text()
    return set(re.findall(r"^([a-z][\w.-]*)\s*:", text, flags=re.MULTILINE))


def test_every_make_target_named_exists():
    named = set(re.findall(r"\bmake(?: --silent)? ([a-z][\w-]*)", _commands()))
    assert {"synth", "bootstrap", "deploy", "list"} <= named
    assert named <= _makefile_targets()


def _aws_commands() -> set[tuple[str, ...]]:
    found = set()
    for match in re.finditer(r"\baws ([a-z0-9-]+) ([a-z0-9-]+)(?: ([a-z0-9-]+))?", _commands()):
        service, command, waiter = match.groups()
        found.add((service, command, waiter) if command == "wait" else (service, command))
    return found


SESSION = botocore.session.get_session()


@pytest.mark.parametrize("command", sorted(_aws_commands()), ids=" ".join)
def test_every_aws_cli_command_named_exists(command):
    if command in CLI_CUSTOMIZATIONS:
        return
    service, operation, *waiter = command
    model = SESSION.get_service_model(service)
    if waiter:
        waiters = SESSION.get_waiter_model(service).waiter_names
        assert waiter[0] in {xform_name(name, "-") for name in waiters}
    else:
        assert operation in {xform_name(name, "-") for name in model.operation_names}


REPOSITORY_PATH = re.compile(
    r"(?<![\w$/.])((?:deployments|service|infra|docs|\.github)/[\w./-]*\w)"
)


def test_every_repository_path_named_exists():
    paths = set(REPOSITORY_PATH.findall(DEPLOY))
    assert "deployments/prod.toml" in paths
    for path in paths:
        assert (ROOT / path).exists(), path
