"""The traffic step alone (``move-traffic``) and the switch's failures: one PutMetricData to the
DR region's CloudWatch, then its alarm awaited. The switch is a botocore Stubber (moto does not
evaluate alarms); every wait is counted, so the timeout is asserted in seconds."""

from __future__ import annotations

import pytest

from ops.dr.region import POLL_SECONDS, TRAFFIC_SWITCH_TIMEOUT_SECONDS
from tests.ops.dr.conftest import DR, PRIMARY, SWITCH_ALARM, Rehearsal, expect_switch


def test_move_traffic_to_the_standby_writes_0_in_the_dr_region(rehearsal: Rehearsal):
    expect_switch(rehearsal, 0.0, ["OK", "OK", "ALARM"])
    result = rehearsal.run("move-traffic", "--to", "standby")
    assert result.exit_code == 0, result.output
    assert [(region, operation) for region, operation, _ in rehearsal.calls] == [
        (DR, "PutMetricData"),
        (DR, "DescribeAlarms"),
        (DR, "DescribeAlarms"),
        (DR, "DescribeAlarms"),
    ]
    assert rehearsal.slept == [POLL_SECONDS, POLL_SECONDS]
    assert result.stdout.splitlines()[-2:] == [
        "  - 1. PCS/Traffic PrimaryServes=0 (Deployment=pcs-prod) written in us-west-2; alarm "
        "pcs-prod-primary-serves ALARM after 30 s (Route 53's health check follows the alarm's "
        "data, not awaited: its API is in us-east-1)",
        "  - next: python -m ops.dr --deployment prod verify --region dr --cluster "
        "pcs-prod-aurora-secondary",
    ]
    rehearsal.stub("cloudwatch", DR).assert_no_pending_responses()


def test_move_traffic_to_the_primary_writes_1_and_awaits_ok(rehearsal: Rehearsal):
    expect_switch(rehearsal, 1.0, ["ALARM", "OK"])
    result = rehearsal.run("move-traffic", "--to", "primary")
    assert result.exit_code == 0, result.output
    assert "alarm pcs-prod-primary-serves OK after 15 s" in result.stdout
    assert rehearsal.index(PRIMARY, "PutMetricData") == []
    rehearsal.stub("cloudwatch", DR).assert_no_pending_responses()


@pytest.mark.parametrize("args", [["--to", "dr"], []], ids=["wrong", "missing"])
def test_move_traffic_refuses_a_direction_it_does_not_know(rehearsal: Rehearsal, args):
    result = rehearsal.run("move-traffic", *args)
    assert result.exit_code == 2
    value = args[1] if args else "missing"
    assert result.output == (f"error: --to={value} is not allowed; allowed: primary, standby\n")
    assert rehearsal.calls == []


def test_an_alarm_that_does_not_follow_stops_the_move_after_its_timeout(rehearsal: Rehearsal):
    polls = TRAFFIC_SWITCH_TIMEOUT_SECONDS // POLL_SECONDS + 1  # at 0 s, 15 s, ... 300 s
    expect_switch(rehearsal, 0.0, ["OK"] * polls)
    result = rehearsal.run("move-traffic", "--to", "standby")
    assert result.exit_code == 1
    assert sum(rehearsal.slept) == 315
    assert TRAFFIC_SWITCH_TIMEOUT_SECONDS == 300
    assert result.stderr.splitlines()[-1] == (
        "error: traffic switch not confirmed: PCS/Traffic PrimaryServes=0 "
        "(Deployment=pcs-prod) written in us-west-2, but alarm pcs-prod-primary-serves still "
        "read OK, not ALARM, after 300 s: check in us-west-2 that the metric received the value "
        "(get-metric-statistics) and that the alarm reads that metric, dimensions and period "
        "(describe-alarms); earlier steps of this command may have been applied: run verify"
    )
    rehearsal.stub("cloudwatch", DR).assert_no_pending_responses()


def test_a_missing_switch_alarm_fails_at_once(rehearsal: Rehearsal):
    cloudwatch = rehearsal.stub("cloudwatch", DR)
    cloudwatch.add_response("put_metric_data", {})
    cloudwatch.add_response("describe_alarms", {"MetricAlarms": []}, {"AlarmNames": [SWITCH_ALARM]})
    result = rehearsal.run("move-traffic", "--to", "standby")
    assert result.exit_code == 1
    assert rehearsal.slept == []
    assert result.stderr.splitlines()[-1] == (
        "error: traffic switch not confirmed: PCS/Traffic PrimaryServes=0 "
        "(Deployment=pcs-prod) written in us-west-2, but no alarm pcs-prod-primary-serves "
        "there: deploy the edge's traffic switch, then run move-traffic again; earlier steps "
        "of this command may have been applied: run verify"
    )
