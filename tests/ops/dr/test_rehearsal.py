"""Region rehearsal: failover to the DR region and failback, end to end through the CLI.

ECS and Application Auto Scaling in both regions are moto (the topology); the global-database
calls moto lacks (``failover_global_cluster``, ``switchover_global_cluster``) and the traffic
switch in the DR region (CloudWatch's ``PutMetricData`` and the alarm it moves) are botocore
Stubbers. Every AWS call is logged in order, so the test asserts the
order that makes a region move safe, and the plan's expected durations total the RTO.
"""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from ops.dr.cli import cli
from tests.ops.dr.conftest import (
    DR,
    GLOBAL,
    PRIMARY,
    PRIMARY_ARN,
    PROD_COUNTS,
    SECONDARY_ARN,
    WRITERS,
    Rehearsal,
    expect_switch,
    global_cluster,
)

RUNBOOK = Path(__file__).resolve().parents[3] / "docs" / "runbook.md"


def _stub_failover(r: Rehearsal) -> None:
    rds = r.stub("rds", DR)
    rds.add_response(
        "describe_global_clusters", global_cluster(PRIMARY_ARN), {"GlobalClusterIdentifier": GLOBAL}
    )
    rds.add_response(
        "describe_db_clusters",
        {
            "DBClusters": [
                {"DBClusterMembers": [{"DBInstanceIdentifier": "r1", "IsClusterWriter": False}]}
            ]
        },
        {"DBClusterIdentifier": "pcs-prod-aurora-secondary"},
    )
    rds.add_response(  # the failover's own look: available, so a managed failover
        "describe_global_clusters", global_cluster(PRIMARY_ARN), {"GlobalClusterIdentifier": GLOBAL}
    )
    rds.add_response(
        "failover_global_cluster",
        {},
        {
            "GlobalClusterIdentifier": GLOBAL,
            "TargetDbClusterIdentifier": SECONDARY_ARN,
            "AllowDataLoss": True,
        },
    )
    rds.add_response(
        "describe_global_clusters",
        global_cluster(SECONDARY_ARN),
        {"GlobalClusterIdentifier": GLOBAL},
    )
    expect_switch(r, 0.0, ["OK", "ALARM"])  # to the standby: the alarm follows on its 2nd read


def _stub_failback(r: Rehearsal) -> None:
    r.stub("rds", DR).add_response(
        "describe_global_clusters",
        global_cluster(SECONDARY_ARN),
        {"GlobalClusterIdentifier": GLOBAL},
    )
    rds = r.stub("rds", PRIMARY)
    rds.add_response(
        "switchover_global_cluster",
        {},
        {"GlobalClusterIdentifier": GLOBAL, "TargetDbClusterIdentifier": PRIMARY_ARN},
    )
    rds.add_response(
        "describe_global_clusters", global_cluster(PRIMARY_ARN), {"GlobalClusterIdentifier": GLOBAL}
    )
    expect_switch(r, 1.0, ["OK"])  # back to the primary


def _expected_minutes(output: str) -> float:
    return float(re.search(r"expected total: ([\d.]+) min", output).group(1))


def test_failover_and_failback_rehearsal(rehearsal: Rehearsal):
    _stub_failover(rehearsal)
    failover = rehearsal.run("failover-region")
    print(failover.output)
    assert failover.exit_code == 0, failover.output

    # Writes fenced before the promotion: every primary writer at 0 before the failover call.
    promoted = rehearsal.index(DR, "FailoverGlobalCluster")[0]
    fenced = [
        rehearsal.index(PRIMARY, "UpdateService", service=name, desiredCount=0)[0]
        for name in WRITERS
    ]
    assert max(fenced) < promoted
    # Traffic switched only after the new writer is up and the DR services are scaled.
    writer_seen = rehearsal.index(DR, "DescribeGlobalClusters")[-1]
    scaled_dr = [
        rehearsal.index(DR, "UpdateService", service=name, desiredCount=count)[0]
        for name, count in PROD_COUNTS.items()
    ]
    (switched,) = rehearsal.index(DR, "PutMetricData")
    assert promoted < writer_seen < min(scaled_dr) and max(scaled_dr) < switched
    # The standby value (the stub checks the call's parameters), then the alarm awaited.
    assert rehearsal.calls[switched][2]["MetricData"][0]["Value"] == 0.0
    assert rehearsal.index(DR, "DescribeAlarms") == [switched + 1, switched + 2]
    assert rehearsal.slept[-1:] == [15]  # one poll's wait: the alarm read OK once
    assert rehearsal.desired(DR) == PROD_COUNTS
    # The old region's writers stay fenced; its web front end, which has no database, idles.
    assert rehearsal.desired(PRIMARY) == {**dict.fromkeys(WRITERS, 0), "pcs-prod-web": 2}
    assert _expected_minutes(failover.output) == 22  # fence 2 + instance 10 + 2 + 5 + traffic 3

    _stub_failback(rehearsal)
    failback = rehearsal.run("failback-region")
    print(failback.output)
    assert failback.exit_code == 0, failback.output
    assert _expected_minutes(failback.output) == 14  # 2 + switchover 2 + 5 + traffic 3 + 2
    switched_back = rehearsal.index(DR, "PutMetricData")[-1]
    assert rehearsal.calls[switched_back][2]["MetricData"][0]["Value"] == 1.0
    scaled_primary = rehearsal.index(PRIMARY, "UpdateService", service="pcs-prod-api")
    dr_fenced = [
        rehearsal.index(DR, "UpdateService", service=n, desiredCount=0)[0] for n in WRITERS
    ]
    switchover = rehearsal.index(PRIMARY, "SwitchoverGlobalCluster")[0]
    assert max(dr_fenced) < switchover < max(scaled_primary) < switched_back
    # The DR region is scaled down only after traffic has left it.
    dr_down = rehearsal.index(DR, "UpdateService", service="pcs-prod-web", desiredCount=0)
    assert switched_back < dr_down[0]
    # Nothing left scaled in the DR region; the primary back at its counts, scaling resumed.
    assert rehearsal.desired(DR) == dict.fromkeys(PROD_COUNTS, 0)
    assert set(rehearsal.suspended(DR).values()) == {True}
    assert rehearsal.desired(PRIMARY) == PROD_COUNTS
    assert set(rehearsal.suspended(PRIMARY).values()) == {False}
    for stub in rehearsal.stubs.values():
        stub.assert_no_pending_responses()


def test_failover_refuses_when_the_dr_member_is_already_the_writer(rehearsal: Rehearsal):
    rehearsal.stub("rds", DR).add_response(
        "describe_global_clusters",
        global_cluster(SECONDARY_ARN),
        {"GlobalClusterIdentifier": GLOBAL},
    )
    result = rehearsal.run("failover-region")
    assert result.exit_code == 2
    assert result.output.strip().startswith("error: global writer=")
    assert rehearsal.index(PRIMARY, "UpdateService") == []  # nothing changed


def test_dry_run_prints_the_steps_with_durations_and_changes_nothing(rehearsal: Rehearsal):
    rehearsal.stub("rds", DR).add_response(
        "describe_global_clusters", global_cluster(PRIMARY_ARN), {"GlobalClusterIdentifier": GLOBAL}
    )
    result = CliRunner().invoke(
        cli,
        [
            "--deployment",
            "prod",
            "switchover-region",
            "--dry-run",
        ],
        obj={"clients": rehearsal.client},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert "switchover (RPO 0)" in result.output
    assert "dry run: nothing changed" in result.output
    assert rehearsal.desired(PRIMARY) == PROD_COUNTS
