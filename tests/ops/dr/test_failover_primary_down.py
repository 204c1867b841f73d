"""failover-region with us-east-1 gone: its endpoints do not answer, the global cluster may not
be ``available``, and a managed failover may be refused or never finish; detach-and-promote is
the fallback. Every wait is counted (the commands' sleep is injected), so each timeout is
asserted in seconds.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.stub import ANY, Stubber

from ops.dr.clients import CLIENT_CONFIG, boto3_client
from ops.dr.region import DETACH_TIMEOUT_SECONDS, FAILOVER_TIMEOUT_SECONDS, POLL_SECONDS
from tests.ops.dr.conftest import (
    DR,
    GLOBAL,
    PRIMARY,
    PRIMARY_ARN,
    PROD_COUNTS,
    SECONDARY_ARN,
    SWITCH_ALARM,
    Rehearsal,
    expect_switch,
    global_cluster,
)

SECONDARY = "pcs-prod-aurora-secondary"
GLOBAL_ID = {"GlobalClusterIdentifier": GLOBAL}
# The readiness check's read of the replication lag (its time window varies).
_LAG_QUERY = {
    "Namespace": "AWS/RDS",
    "MetricName": "AuroraGlobalDBRPOLag",
    "Dimensions": [{"Name": "DBClusterIdentifier", "Value": SECONDARY}],
    "Period": 60,
    "Statistics": ["Maximum"],
}
# The plan failover-region --primary-down prints, dry run or not: every step in the DR region.
PLAN = [
    "plan:",
    "  - 1. instance in pcs-prod-aurora-secondary to promote (expected 10 min; gives up "
    "after 30 min)",
    f"  - 2. failover (accepts the replication lag) of pcs-prod-global to {SECONDARY_ARN} "
    "(expected 2 min; managed failover given 10 min, then detach-and-promote given 15 min)",
    "  - 3. scale services up in us-west-2 (expected 5 min; no wait: each AWS call gives "
    "up after 75 s)",
    "  - 4. traffic to us-west-2: PCS/Traffic PrimaryServes=0 (Deployment=pcs-prod) in "
    "us-west-2, then alarm pcs-prod-primary-serves ALARM (expected 3 min; gives up after "
    "5 min)",
    "  - expected total: 20 min",
]


@pytest.fixture
def primary_down(rehearsal: Rehearsal) -> Rehearsal:
    rehearsal.down.add(PRIMARY)
    return rehearsal


def _secondary(status: str, *, writer: bool) -> dict:
    member = {"DBInstanceIdentifier": f"{SECONDARY}-1", "IsClusterWriter": writer}
    return {"DBClusters": [{"Status": status, "DBClusterMembers": [member]}]}


def _validation_and_instance(rds: Stubber, status: str = "available") -> None:
    """The command's first look (the DR member is a secondary) and the writer-instance step
    (the tier keeps a reader, so none is created)."""
    rds.add_response("describe_global_clusters", global_cluster(PRIMARY_ARN, status), GLOBAL_ID)
    rds.add_response(
        "describe_db_clusters",
        _secondary("available", writer=False),
        {"DBClusterIdentifier": SECONDARY},
    )


def _detach(rds: Stubber, polls_until_writer: int, *, becomes_writer: bool = True) -> None:
    """The secondary's removal from the global cluster, ``polls_until_writer`` polls of it
    still modifying, then (``becomes_writer``) a standalone writer."""
    rds.add_response(
        "remove_from_global_cluster",
        {},
        {"GlobalClusterIdentifier": GLOBAL, "DbClusterIdentifier": SECONDARY_ARN},
    )
    for _ in range(polls_until_writer):
        rds.add_response(
            "describe_db_clusters",
            _secondary("modifying", writer=False),
            {"DBClusterIdentifier": SECONDARY},
        )
    if becomes_writer:
        rds.add_response(
            "describe_db_clusters",
            _secondary("available", writer=True),
            {"DBClusterIdentifier": SECONDARY},
        )


def _failover(*extra: str, r: Rehearsal) -> Any:
    return r.run("failover-region", "--primary-down", *extra)


def test_every_client_gives_up_on_a_dead_endpoint_within_stated_bounds():
    client = boto3_client("rds", DR)
    config = client.meta.config
    assert (config.connect_timeout, config.read_timeout) == (5, 20)
    assert config.retries == {"total_max_attempts": 3, "mode": "standard"}
    assert CLIENT_CONFIG.retries == config.retries


def test_plan_with_us_east_1_unreachable_calls_only_the_dr_region(primary_down: Rehearsal):
    rds = primary_down.stub("rds", DR)
    rds.add_response("describe_global_clusters", global_cluster(PRIMARY_ARN), GLOBAL_ID)
    rds.add_response("describe_global_clusters", global_cluster(PRIMARY_ARN), GLOBAL_ID)
    primary_down.stub("cognito-idp", DR).add_response(
        "list_user_pools", {"UserPools": []}, {"MaxResults": 60}
    )
    cloudwatch = primary_down.stub("cloudwatch", DR)
    cloudwatch.add_response(
        "get_metric_statistics",
        {"Datapoints": []},
        {**_LAG_QUERY, "StartTime": ANY, "EndTime": ANY},
    )
    cloudwatch.add_response(  # the traffic switch's alarm: the primary serves
        "describe_alarms",
        {"MetricAlarms": [{"AlarmName": SWITCH_ALARM, "StateValue": "OK"}]},
        {"AlarmNames": [SWITCH_ALARM]},
    )
    result = _failover("--dry-run", r=primary_down)
    print(result.output)
    assert result.exit_code == 0, result.output
    # The readiness checks ask the primary once for its task definitions (to compare images),
    # get no answer, and ask it nothing more; the plan itself needs only the DR region.
    assert primary_down.unanswered == ["us-east-1:DescribeServices"]
    missing = "RepositoryNotFoundException: The repository with name 'pcs' does not exist in "
    missing += "the registry with id '123456789012'"
    assert result.output.splitlines() == [
        "readiness (the DR region's preconditions):",
        "  DRIFT primary task definitions: unreadable: Could not connect to the endpoint URL: "
        '"https://ecs.us-east-1.amazonaws.com"',
        *(
            f"  DRIFT pcs-prod-{service} image: pcs:1: {missing}"
            for service in ("api", "beat", "web", "worker")
        ),
        "  ok    global database: pcs-prod-global available; pcs-prod-aurora-secondary a secondary",
        "  DRIFT replication lag: no data in 10 min",
        "  DRIFT standby user pool: no pcs-prod-users in us-west-2",
        "  ok    traffic switch: pcs-prod-primary-serves OK (the primary serves)",
        "  2/9 ready",
        *PLAN,
        "dry run: nothing changed",
    ]


def test_without_primary_down_an_unreachable_primary_stops_before_any_change(
    primary_down: Rehearsal,
):
    primary_down.stub("rds", DR).add_response(
        "describe_global_clusters", global_cluster(PRIMARY_ARN), GLOBAL_ID
    )
    result = primary_down.run("failover-region")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: us-east-1's ECS API does not answer: if the region is down, its writers are "
        "fenced by the outage; run again with --primary-down"
    )
    assert primary_down.unanswered == ["us-east-1:DescribeClusters"]
    assert primary_down.desired(DR) == dict.fromkeys(PROD_COUNTS, 0)


def test_the_whole_failover_with_us_east_1_unreachable(primary_down: Rehearsal):
    """Every step, traffic included, with every us-east-1 endpoint down. The managed failover
    moves the writer but the global cluster never returns to ``available`` (its old primary
    does not answer): the new writer is enough. The traffic step is a PutMetricData in
    us-west-2. Run with ``-s`` to see the plan and the report as an operator does."""
    rds = primary_down.stub("rds", DR)
    _validation_and_instance(rds)
    rds.add_response("describe_global_clusters", global_cluster(PRIMARY_ARN), GLOBAL_ID)
    rds.add_response(
        "failover_global_cluster",
        {},
        {**GLOBAL_ID, "TargetDbClusterIdentifier": SECONDARY_ARN, "AllowDataLoss": True},
    )
    rds.add_response(
        "describe_global_clusters", global_cluster(SECONDARY_ARN, "failing-over"), GLOBAL_ID
    )
    expect_switch(primary_down, 0.0, ["OK", "ALARM"])
    result = _failover("--yes", r=primary_down)
    print(result.output)
    assert result.exit_code == 0, result.output
    # Not one call to us-east-1, nor to CloudFront's or Route 53's (global) endpoints.
    assert primary_down.unanswered == []
    called = {endpoint.split("//")[1].split(".")[0] for endpoint in primary_down.endpoints}
    assert called == {"rds", "ecs", "application-autoscaling", "monitoring"}
    assert {endpoint.split(".")[1] for endpoint in primary_down.endpoints} == {DR}
    assert [
        f"{endpoint.split('//')[1].split('.')[0]} {operation}"
        for endpoint, (_, operation, _) in zip(
            primary_down.endpoints, primary_down.calls, strict=True
        )
    ] == [
        "rds DescribeGlobalClusters",  # validation: the DR member is a secondary
        "ecs DescribeClusters",  # validation: the DR services exist
        "ecs DescribeServices",
        "rds DescribeDBClusters",  # 1. the secondary has an instance to promote
        "rds DescribeGlobalClusters",  # 2. available: a managed failover
        "rds FailoverGlobalCluster",
        "rds DescribeGlobalClusters",  # the DR member is the writer
        "ecs DescribeClusters",  # 3. scale up
        "ecs DescribeServices",
        "application-autoscaling DescribeScalableTargets",
        "application-autoscaling RegisterScalableTarget",
        "application-autoscaling RegisterScalableTarget",
        "application-autoscaling RegisterScalableTarget",
        "ecs UpdateService",
        "ecs UpdateService",
        "ecs UpdateService",
        "ecs UpdateService",
        "monitoring PutMetricData",  # 4. traffic: the switch, then its alarm
        "monitoring DescribeAlarms",
        "monitoring DescribeAlarms",
    ]
    written = (
        "PCS/Traffic PrimaryServes=0 (Deployment=pcs-prod) written in us-west-2; alarm "
        "pcs-prod-primary-serves ALARM after 15 s (Route 53's health check follows the alarm's "
        "data, not awaited: its API is in us-east-1)"
    )
    assert result.output.splitlines() == [
        *PLAN,
        "step 1/4: instance in pcs-prod-aurora-secondary to promote ...",
        "  done: pcs-prod-aurora-secondary already has 1 instance(s)",
        "step 2/4: failover (accepts the replication lag) of pcs-prod-global to "
        f"{SECONDARY_ARN} ...",
        f"  done: {SECONDARY_ARN} is the writer of pcs-prod-global after 0 s",
        "step 3/4: scale services up in us-west-2 ...",
        "  done: services in us-west-2 at pcs-prod-api 2, pcs-prod-worker 2, pcs-prod-beat 1, "
        "pcs-prod-web 2, scaling resumed",
        "step 4/4: traffic to us-west-2: PCS/Traffic PrimaryServes=0 (Deployment=pcs-prod) in "
        "us-west-2, then alarm pcs-prod-primary-serves ALARM ...",
        f"  done: {written}",
        "done:",
        "  - 1. pcs-prod-aurora-secondary already has 1 instance(s)",
        f"  - 2. {SECONDARY_ARN} is the writer of pcs-prod-global after 0 s",
        "  - 3. services in us-west-2 at pcs-prod-api 2, pcs-prod-worker 2, pcs-prod-beat 1, "
        "pcs-prod-web 2, scaling resumed",
        f"  - 4. {written}",
        "  - next: python -m ops.dr --deployment prod failback-region",
    ]
    assert primary_down.slept == [POLL_SECONDS]  # the alarm read OK once, then ALARM
    assert primary_down.desired(DR) == PROD_COUNTS
    assert primary_down.index(DR, "RemoveFromGlobalCluster") == []
    rds.assert_no_pending_responses()
    primary_down.stub("cloudwatch", DR).assert_no_pending_responses()


def test_a_global_cluster_not_available_is_detached_and_promoted(primary_down: Rehearsal):
    rds = primary_down.stub("rds", DR)
    _validation_and_instance(rds, status="failing-over")
    rds.add_response(
        "describe_global_clusters", global_cluster(PRIMARY_ARN, "failing-over"), GLOBAL_ID
    )
    _detach(rds, polls_until_writer=3)
    expect_switch(primary_down, 0.0, ["ALARM"])
    result = _failover(r=primary_down)
    assert result.exit_code == 0, result.output
    assert primary_down.index(DR, "FailoverGlobalCluster") == []
    detached = primary_down.index(DR, "RemoveFromGlobalCluster")[0]
    scaled = primary_down.index(DR, "UpdateService")
    assert detached < min(scaled)
    assert primary_down.desired(DR) == PROD_COUNTS
    assert primary_down.slept == [POLL_SECONDS] * 3
    assert (
        "managed failover skipped (global cluster failing-over); pcs-prod-aurora-secondary "
        f"detached from {GLOBAL}: standalone writer pcs-prod-aurora-secondary-1 after 45 s"
    ) in result.stderr
    rds.assert_no_pending_responses()


def test_a_refused_failover_falls_back_to_detach_and_promote(primary_down: Rehearsal):
    rds = primary_down.stub("rds", DR)
    _validation_and_instance(rds)
    rds.add_response("describe_global_clusters", global_cluster(PRIMARY_ARN), GLOBAL_ID)
    rds.add_client_error(
        "failover_global_cluster",
        "InvalidGlobalClusterStateFault",
        "The global cluster's primary does not answer",
    )
    _detach(rds, polls_until_writer=0)
    expect_switch(primary_down, 0.0, ["ALARM"])
    assert _failover(r=primary_down).exit_code == 0
    assert primary_down.index(DR, "FailoverGlobalCluster") < primary_down.index(
        DR, "RemoveFromGlobalCluster"
    )
    assert primary_down.desired(DR) == PROD_COUNTS
    rds.assert_no_pending_responses()


def test_a_failover_that_never_finishes_is_given_its_timeout_then_detached(
    primary_down: Rehearsal,
):
    rds = primary_down.stub("rds", DR)
    _validation_and_instance(rds)
    rds.add_response("describe_global_clusters", global_cluster(PRIMARY_ARN), GLOBAL_ID)
    rds.add_response(
        "failover_global_cluster",
        {},
        {**GLOBAL_ID, "TargetDbClusterIdentifier": SECONDARY_ARN, "AllowDataLoss": True},
    )
    polls = FAILOVER_TIMEOUT_SECONDS // POLL_SECONDS + 1  # at 0 s, 15 s, ... 600 s
    for _ in range(polls):
        rds.add_response(
            "describe_global_clusters", global_cluster(PRIMARY_ARN, "failing-over"), GLOBAL_ID
        )
    _detach(rds, polls_until_writer=0)
    expect_switch(primary_down, 0.0, ["ALARM"])
    assert _failover(r=primary_down).exit_code == 0
    assert sum(primary_down.slept) == 615  # 600 s of polling, then the detach
    assert FAILOVER_TIMEOUT_SECONDS == 600
    assert len(primary_down.index(DR, "RemoveFromGlobalCluster")) == 1
    assert primary_down.desired(DR) == PROD_COUNTS
    rds.assert_no_pending_responses()


def test_a_detach_that_never_finishes_stops_the_move_after_its_timeout(primary_down: Rehearsal):
    rds = primary_down.stub("rds", DR)
    _validation_and_instance(rds, status="failing-over")
    rds.add_response(
        "describe_global_clusters", global_cluster(PRIMARY_ARN, "failing-over"), GLOBAL_ID
    )
    _detach(rds, DETACH_TIMEOUT_SECONDS // POLL_SECONDS + 1, becomes_writer=False)
    result = _failover(r=primary_down)
    assert result.exit_code == 1
    assert sum(primary_down.slept) == 915
    assert result.stderr.splitlines()[-1] == (
        "error: pcs-prod-aurora-secondary was not a standalone writer within 900 s of its "
        "removal from pcs-prod-global; earlier steps of this command may have been applied: "
        "run verify"
    )
    assert primary_down.desired(DR) == dict.fromkeys(PROD_COUNTS, 0)  # nothing scaled
    rds.assert_no_pending_responses()
