"""docs/runbook.md: every command it gives parses with this CLI, and scenario 4 runs end to end."""

from __future__ import annotations

import re
import shlex
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ops.dr.cli import cli
from tests.ops.dr.conftest import SERVICES, SOURCE, desired_counts

RUNBOOK = Path(__file__).resolve().parents[3] / "docs" / "runbook.md"
COMMAND = re.compile(r"`python -m ops\.dr (--deployment [^ `]+ [a-z][^`]+)`")


def _runbook_commands() -> list[list[str]]:
    text = RUNBOOK.read_text()
    # Placeholders such as <dr db subnet group> stand for one value each.
    return [shlex.split(re.sub(r"<[^>]+>", "x", line)) for line in COMMAND.findall(text)]


def test_runbook_gives_every_dr_command_for_the_prod_deployment():
    commands = _runbook_commands()
    assert {args[2] for args in commands} == set(cli.commands)
    assert {args[1] for args in commands} == {"prod"}


@pytest.mark.parametrize("args", _runbook_commands(), ids=" ".join)
def test_runbook_command_parses_with_its_options(args):
    option, deployment, name, *rest = args
    # Each raises on an unknown or missing option: the group's, then the command's.
    with cli.make_context("ops.dr", [option, deployment, name]) as parent:
        cli.commands[name].make_context(name, rest, parent=parent)


def test_scenario_4_runs_as_written_against_moto(aws, services):
    ecs, _ = services
    restore_time = aws.cluster(SOURCE)["EarliestRestorableTime"] + timedelta(seconds=1)
    restore_time = min(restore_time, datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    steps = [
        ["stop-writes"],
        [
            "restore-pitr",
            "--target-cluster",
            "pcs-prod-aurora-t1",
            "--restore-time",
            restore_time,
        ],
        ["verify", "--cluster", "pcs-prod-aurora-t1", "--cluster-only"],
        ["point-app", "--cluster", "pcs-prod-aurora-t1"],
        ["verify", "--cluster", "pcs-prod-aurora-t1"],
        ["resume-writes"],
    ]
    for step in steps:
        confirm = [] if step[0] == "verify" else ["--yes"]
        result = aws.run("--deployment", "prod", *step, *confirm)
        assert result.exit_code == 0, (step, result.output)
    assert aws.secret()["dbClusterIdentifier"] == "pcs-prod-aurora-t1"
    assert desired_counts(ecs) == SERVICES
