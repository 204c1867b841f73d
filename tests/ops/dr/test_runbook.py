"""docs/runbook.md: every command it gives parses with this CLI, and scenario 4 runs end to end."""

from __future__ import annotations

import re
import shlex
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
import pytest

from ops.dr.cli import cli
from tests.ops.dr.conftest import SERVICES, SOURCE, desired_counts

RUNBOOK = Path(__file__).resolve().parents[3] / "docs" / "runbook.md"
COMMAND = re.compile(r"`python -m ops\.dr ([a-z][^`]+)`")


def _runbook_commands() -> list[list[str]]:
    text = RUNBOOK.read_text()
    # Placeholders such as <dr db subnet group> stand for one value each.
    return [shlex.split(re.sub(r"<[^>]+>", "x", line)) for line in COMMAND.findall(text)]


def test_runbook_gives_every_dr_command():
    used = {args[0] for args in _runbook_commands()}
    assert used == set(cli.commands)


@pytest.mark.parametrize("args", _runbook_commands(), ids=" ".join)
def test_runbook_command_parses_with_its_options(args):
    command = cli.commands[args[0]]
    with click.Context(cli) as parent:
        command.make_context(args[0], args[1:], parent=parent)  # raises on unknown/missing options


def test_scenario_4_runs_as_written_against_moto(aws, services):
    ecs, _ = services
    restore_time = aws.cluster(SOURCE)["EarliestRestorableTime"] + timedelta(seconds=1)
    restore_time = min(restore_time, datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    steps = [
        ["stop-writes", "--env", "prod"],
        [
            "restore-pitr",
            "--env",
            "prod",
            "--target-cluster",
            "pcs-prod-aurora-t1",
            "--restore-time",
            restore_time,
        ],
        ["verify", "--env", "prod", "--cluster", "pcs-prod-aurora-t1", "--cluster-only"],
        ["point-app", "--env", "prod", "--cluster", "pcs-prod-aurora-t1"],
        ["verify", "--env", "prod", "--cluster", "pcs-prod-aurora-t1"],
        ["resume-writes", "--env", "prod"],
    ]
    for step in steps:
        confirm = [] if step[0] == "verify" else ["--yes"]
        result = aws.run(*step, *confirm)
        assert result.exit_code == 0, (step, result.output)
    assert aws.secret()["dbClusterIdentifier"] == "pcs-prod-aurora-t1"
    assert desired_counts(ecs) == SERVICES
