"""docs/runbook.md: every command it gives parses with this CLI, and scenario 4 runs end to end."""

from __future__ import annotations

import re
import shlex
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from infra.config import load_config
from ops.dr.cli import cli
from ops.dr.objectives import (
    detection_minutes,
    failover_minutes,
    objectives,
    table,
    traffic_derivation,
)
from ops.dr.region import (
    ALIAS_TTL_SECONDS,
    CREATE_WRITER_SECONDS,
    FENCE_SECONDS,
    HEALTH_CHECK_SECONDS,
    PROMOTE_SECONDS,
    SCALE_SECONDS,
    traffic_seconds,
)
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


def test_runbook_gives_each_user_class_the_rto_and_rpo_the_code_derives():
    text = RUNBOOK.read_text()
    section = text[text.index("### RTO and RPO per user class") : text.index("## Scenario 4")]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    assert rows == table(load_config("prod"))


def test_prod_api_token_rto_is_derived_from_the_failover_steps():
    config = load_config("prod")
    # standing reader: promote 2 + scale 5 + traffic 3; at worst failover 10 + detach 15 +
    # scale 5 + the switch's 5 min timeout and the 2 min after it
    assert failover_minutes(config) == (10, 37)
    (api, browser, background, audit) = objectives(config)
    assert api.rto == "33-66 min; +20-40 min if readiness shows image drift"  # 5+15+10+3 ..
    assert "60 s" in api.rpo and "15 min" in browser.rpo
    assert background.rto == "as API token (the worker and Beat start in the same step)"
    assert audit.rto.startswith("as API token")


def test_the_traffic_step_is_derived_from_the_switch_period_the_alias_ttl_and_the_health_check():
    """No control plane in it: the alarm's period, Route 53's health check (an assumption) and
    the load balancer alias records' TTL; CloudFront's own DNS cache of the origin is named, not
    counted."""
    config = load_config("prod")
    assert config.edge.traffic_switch_period_seconds == 60
    assert (HEALTH_CHECK_SECONDS, ALIAS_TTL_SECONDS) == (60, 60)
    assert traffic_seconds(60) == 180
    derivation = (
        "The traffic step, 3 min, is a PutMetricData in the DR region (no us-east-1 control "
        "plane): the switch alarm's one 60 s period (edge.traffic_switch_period_seconds) + Route "
        "53's health check reading it, assumed 60 s (AWS documents no delay for a "
        "CloudWatch-alarm health check) + the load balancer alias records' 60 s TTL (Route 53 "
        'Developer Guide, "Values specific for weighted records"); how long CloudFront keeps the '
        "origin's DNS answer is undocumented and not verifiable here (game day)"
    )
    (api, *_) = objectives(config)
    assert api.derivation.endswith(derivation)
    assert derivation in RUNBOOK.read_text()
    # a shorter alarm period shortens the step (30 s: 2.5 min)
    assert "The traffic step, 2.5 min," in traffic_derivation(
        replace(config, edge=replace(config.edge, traffic_switch_period_seconds=30))
    )


def test_the_runbooks_move_totals_are_the_plans():
    """Scenario 3's totals: the plans print them (tests/ops/dr/test_rehearsal.py,
    test_failover_primary_down.py); here, from the steps' expected times."""
    traffic = traffic_seconds(load_config("prod").edge.traffic_switch_period_seconds)
    failover = FENCE_SECONDS + CREATE_WRITER_SECONDS + PROMOTE_SECONDS + SCALE_SECONDS + traffic
    failback = FENCE_SECONDS + PROMOTE_SECONDS + SCALE_SECONDS + traffic + FENCE_SECONDS
    assert (failover // 60, (failover - FENCE_SECONDS) // 60, failback // 60) == (22, 20, 14)
    text = " ".join(RUNBOOK.read_text().split())
    assert (
        "DR services to their counts 5 min; traffic 3 min: 22 min, 20 with `--primary-down`" in text
    )
    assert "traffic 3 min (`PrimaryServes` = 1, the alarm back to OK), DR to 0: 14 min" in text


def test_the_documents_rpo_is_the_replication_time_control_of_the_documents_rule(prod):
    from ops.dr.objectives import DOCUMENTS_RTC_MINUTES
    from tests.infra.conftest import resources

    (rule,) = [
        rule
        for bucket in resources(prod, "data", "AWS::S3::Bucket").values()
        for rule in bucket["Properties"].get("ReplicationConfiguration", {}).get("Rules", [])
        if rule["Id"] == "documents-to-dr-region"
    ]
    time = rule["Destination"]["ReplicationTime"]
    assert time == {"Status": "Enabled", "Time": {"Minutes": DOCUMENTS_RTC_MINUTES}}
    assert DOCUMENTS_RTC_MINUTES == 15


def test_prod_detection_is_the_dr_canarys_failed_runs_on_its_schedule():
    """The DR canary (us-west-2, every 5 min, paging after 2 failed runs, 60 s timeout:
    tests/infra/monitoring/test_canary.py) pages 5 to 11 minutes after the site fails."""
    config = load_config("prod")
    assert detection_minutes(config.monitoring) == (5, 11)  # 1 x 5 .. 2 x 5 + 1
    (api, *_) = objectives(config)
    assert api.derivation.startswith(
        "detection 5-11 (the DR canary's 2 failed runs, every 5 min) + decision 15"
    )
    text = RUNBOOK.read_text()
    assert "detection 5-11 (the DR canary's 2 failed runs, every 5 min)" in text
