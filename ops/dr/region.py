"""Moving the platform between its regions: the steps of a switchover, failover and failback.

Each step has an expected duration (sources below) so the plan prints the RTO it adds up to; the
commands in ``region_commands.py`` run the steps in order. The order is the safety argument:

- writes are fenced (the old region's writers at 0 tasks, scaling suspended) before the global
  database is promoted, so no writer talks to a demoted or split cluster;
- traffic moves only after the new writer is up and the new region's services run, and the
  move is a data-plane write in the DR region (no us-east-1 control plane: CloudFront's one
  origin is a Route 53 failover name whose health check reads the switch's alarm there);
- failback leaves nothing scaled in the DR region.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from infra.config import ServiceScaling
from infra.names import TrafficSwitch
from ops.dr import services
from ops.dr.clients import CALL_LIMIT_SECONDS
from ops.dr.errors import BadInput, SwitchNotConfirmed
from ops.dr.targets import DrTargets

# Expected durations in seconds (the RTO budget; measure them in each game day):
# - fencing: ECS drains tasks (30 s deregistration delay, worker stop timeout 120 s);
# - creating a Serverless v2 instance in a headless secondary: about 10 minutes;
# - switchover / failover of a global database: "typically a minute or two" of promotion
#   (Aurora User Guide, "Using switchover or failover in an Aurora global database");
# - starting Fargate tasks at their desired counts: image pull, container start, two passing
#   health checks of 30 s: about 5 minutes;
# - moving traffic: :func:`traffic_seconds` (the switch's alarm, Route 53, resolvers).
FENCE_SECONDS = 120
CREATE_WRITER_SECONDS = 600
PROMOTE_SECONDS = 120
SCALE_SECONDS = 300
POLL_SECONDS = 15
# Route 53 answers an alias record to a load balancer with the load balancer's TTL, 60 s
# ("60 seconds (the TTL for load balancers)", Route 53 Developer Guide, "Values specific for
# weighted records"): how long a resolver may keep answering the entry the traffic left.
ALIAS_TTL_SECONDS = 60
# An assumption: Route 53 reads the alarm's data stream, not its state, and "doesn't wait for
# the CloudWatch alarm to go into the ALARM state" (Route 53 Developer Guide, "Types of Amazon
# Route 53 health checks"), but AWS documents no delay for a CloudWatch-alarm health check.
# One more minute, until a game day measures it.
HEALTH_CHECK_SECONDS = 60
# How long a waiting step polls before it gives up. An instance or a planned switchover gets
# three times its expected time; the managed failover five times its expected two minutes,
# after which (or at once, when the global cluster is not ``available`` or refuses it) the
# secondary is detached from the global database, which makes it a standalone writer, and
# that gets as long again and a half.
CREATE_WRITER_TIMEOUT_SECONDS = 1800
SWITCHOVER_TIMEOUT_SECONDS = 1800
FAILOVER_TIMEOUT_SECONDS = 600
DETACH_TIMEOUT_SECONDS = 900
# The switch's alarm evaluates one period of at most a minute (edge.traffic_switch_period_seconds
# allows 10, 30 or 60 s); five minutes is five of the longest periods.
TRAFFIC_SWITCH_TIMEOUT_SECONDS = 300


@dataclass(frozen=True)
class Step:
    """One step of a region move: what it does, how long it is expected to take, when it gives
    up (None: it waits for nothing, each AWS call is bounded by ``CALL_LIMIT_SECONDS``), and
    the action."""

    description: str
    expected_seconds: int
    timeouts: tuple[int, ...] | None
    action: Callable[[], str]

    def plan_line(self, number: int) -> str:
        """The step as the plan prints it: expected duration and timeout."""
        if self.timeouts is None:
            limit = f"no wait: each AWS call gives up after {CALL_LIMIT_SECONDS} s"
        elif len(self.timeouts) == 1:
            limit = f"gives up after {self.timeouts[0] / 60:g} min"
        else:
            managed, detach = self.timeouts
            limit = (
                f"managed failover given {managed / 60:g} min, then detach-and-promote "
                f"given {detach / 60:g} min"
            )
        return (
            f"{number}. {self.description} (expected {self.expected_seconds / 60:g} min; {limit})"
        )


def traffic_seconds(alarm_seconds: int) -> int:
    """From the switch's write to the last resolver answering the other ALB, when its alarm
    changes state ``alarm_seconds`` after the write: then Route 53's health check follows
    (:data:`HEALTH_CHECK_SECONDS`) and cached answers expire (:data:`ALIAS_TTL_SECONDS`).
    How long CloudFront itself keeps an origin's DNS answer is not documented: not included."""
    return alarm_seconds + HEALTH_CHECK_SECONDS + ALIAS_TTL_SECONDS


def total_minutes(steps: list[Step]) -> float:
    """The expected duration of ``steps``, in minutes."""
    return sum(step.expected_seconds for step in steps) / 60


@dataclass
class RegionClients:
    """The clients a region move uses (tests inject moto- and Stubber-backed ones)."""

    rds_primary: Any
    rds_dr: Any
    ecs_primary: Any
    ecs_dr: Any
    autoscaling_primary: Any
    autoscaling_dr: Any
    cloudwatch_switch: Any  # CloudWatch in the traffic switch's region (the DR region)
    sleep: Callable[[float], None] = time.sleep


def describe_global(rds: Any, global_cluster: str) -> dict:
    """The global cluster, or a one-line BadInput."""
    found = rds.describe_global_clusters(GlobalClusterIdentifier=global_cluster)["GlobalClusters"]
    if not found:
        raise BadInput("global cluster", global_cluster, "an existing global database")
    return found[0]


def global_members(rds: Any, global_cluster: str) -> dict[str, bool]:
    """``{member cluster ARN: is writer}`` of the global cluster, or a one-line BadInput."""
    members = describe_global(rds, global_cluster)["GlobalClusterMembers"]
    return {m["DBClusterArn"]: bool(m["IsWriter"]) for m in members}


def check_member(members: dict[str, bool], arn: str, *, writer: bool) -> None:
    """BadInput unless ``arn`` is a member in the expected role (writer or secondary)."""
    role = "the writer" if writer else "a secondary"
    if members.get(arn) is not writer:
        current = [a for a, is_writer in members.items() if is_writer]
        raise BadInput("global writer", ", ".join(current) or "none", f"{arn} as {role}")


def _poll(check: Callable[[], str | None], *, timeout: int, sleep: Callable[[float], None]):
    """Call ``check`` every ``POLL_SECONDS`` until it reports (returns its report and the
    seconds waited) or ``timeout`` seconds have passed (returns None)."""
    waited = 0
    while waited <= timeout:
        report = check()
        if report is not None:
            return report, waited
        sleep(POLL_SECONDS)
        waited += POLL_SECONDS
    return None


def wait_for_writer(
    rds: Any,
    global_cluster: str,
    arn: str,
    sleep: Callable[[float], None],
    *,
    timeout: int,
    planned: bool,
) -> str | None:
    """Poll until ``arn`` is the global cluster's writer; None after ``timeout`` seconds.

    A planned switchover also waits for the global cluster to be ``available`` (both members
    in sync again); after a failover the old primary may be unreachable and the global
    cluster's status may never settle, so only the writer is awaited.
    """

    def check() -> str | None:
        cluster = describe_global(rds, global_cluster)
        writers = [m["DBClusterArn"] for m in cluster["GlobalClusterMembers"] if m["IsWriter"]]
        settled = cluster["Status"] == "available" or not planned
        return "" if writers == [arn] and settled else None

    done = _poll(check, timeout=timeout, sleep=sleep)
    return None if done is None else f"{arn} is the writer of {global_cluster} after {done[1]} s"


def detach_and_promote(
    rds: Any, global_cluster: str, arn: str, cluster: str, sleep: Callable[[float], None]
) -> str:
    """Remove the secondary ``arn`` from the global database: Aurora makes it a standalone
    cluster that accepts writes. Waits until it is available with a writer instance."""
    rds.remove_from_global_cluster(GlobalClusterIdentifier=global_cluster, DbClusterIdentifier=arn)

    def check() -> str | None:
        found = rds.describe_db_clusters(DBClusterIdentifier=cluster)["DBClusters"][0]
        writers = [m for m in found["DBClusterMembers"] if m["IsClusterWriter"]]
        if found["Status"] == "available" and writers:
            return writers[0]["DBInstanceIdentifier"]
        return None

    done = _poll(check, timeout=DETACH_TIMEOUT_SECONDS, sleep=sleep)
    if done is None:
        raise TimeoutError(
            f"{cluster} was not a standalone writer within {DETACH_TIMEOUT_SECONDS} s of its "
            f"removal from {global_cluster}"
        )
    writer, waited = done
    return f"{cluster} detached from {global_cluster}: standalone writer {writer} after {waited} s"


def failover(rds: Any, global_cluster: str, arn: str, cluster: str, sleep) -> str:
    """Managed failover (data loss accepted) if the global cluster is ``available``; detach and
    promote when it is not, when Aurora refuses or fails the failover, or when the writer has
    not moved within ``FAILOVER_TIMEOUT_SECONDS``."""
    status = describe_global(rds, global_cluster)["Status"]
    if status != "available":
        reason = f"global cluster {status}"
    else:
        try:
            rds.failover_global_cluster(
                GlobalClusterIdentifier=global_cluster,
                TargetDbClusterIdentifier=arn,
                AllowDataLoss=True,
            )
            done = wait_for_writer(
                rds, global_cluster, arn, sleep, timeout=FAILOVER_TIMEOUT_SECONDS, planned=False
            )
        except (ClientError, BotoCoreError) as error:
            reason = f"failover refused or failed: {error}"
        else:
            if done is not None:
                return done
            reason = f"no new writer within {FAILOVER_TIMEOUT_SECONDS} s"
    return f"managed failover skipped ({reason}); " + detach_and_promote(
        rds, global_cluster, arn, cluster, sleep
    )


def ensure_writer_instance(rds: Any, cluster: str, sleep: Callable[[float], None]) -> str:
    """Give a headless secondary an instance to promote (Serverless v2), and wait for it."""
    found = rds.describe_db_clusters(DBClusterIdentifier=cluster)["DBClusters"][0]
    if found["DBClusterMembers"]:
        return f"{cluster} already has {len(found['DBClusterMembers'])} instance(s)"
    instance = f"{cluster}-writer"
    rds.create_db_instance(
        DBInstanceIdentifier=instance,
        DBClusterIdentifier=cluster,
        Engine="aurora-postgresql",
        DBInstanceClass="db.serverless",
    )

    def check() -> str | None:
        status = rds.describe_db_instances(DBInstanceIdentifier=instance)["DBInstances"][0]
        return "" if status["DBInstanceStatus"] == "available" else None

    done = _poll(check, timeout=CREATE_WRITER_TIMEOUT_SECONDS, sleep=sleep)
    if done is None:
        raise TimeoutError(f"{instance} was not available within {CREATE_WRITER_TIMEOUT_SECONDS} s")
    return f"instance {instance} (db.serverless) available after {done[1]} s"


def switch_traffic(
    cloudwatch: Any, switch: TrafficSwitch, value: float, sleep: Callable[[float], None]
) -> str:
    """Write ``value`` to the switch's metric, then poll its alarm until it reads the state that
    value gives (ALARM for ``STANDBY``, OK for ``PRIMARY``); SwitchNotConfirmed when the alarm is
    missing or has not followed within ``TRAFFIC_SWITCH_TIMEOUT_SECONDS``."""
    dimensions = [{"Name": name, "Value": of} for name, of in switch.dimensions]
    cloudwatch.put_metric_data(
        Namespace=switch.namespace,
        MetricData=[{"MetricName": switch.metric, "Dimensions": dimensions, "Value": value}],
    )
    awaited = _awaited(switch, value)
    written = f"{_metric(switch, value)} written in {switch.region}"
    read: list[str] = []

    def check() -> str | None:
        alarms = cloudwatch.describe_alarms(AlarmNames=[switch.alarm])["MetricAlarms"]
        if not alarms:
            raise SwitchNotConfirmed(
                f"traffic switch not confirmed: {written}, but no alarm {switch.alarm} there: "
                "deploy the edge's traffic switch, then run move-traffic again"
            )
        read.append(alarms[0]["StateValue"])
        return "" if read[-1] == awaited else None

    done = _poll(check, timeout=TRAFFIC_SWITCH_TIMEOUT_SECONDS, sleep=sleep)
    if done is None:
        raise SwitchNotConfirmed(
            f"traffic switch not confirmed: {written}, but alarm {switch.alarm} still read "
            f"{read[-1]}, not {awaited}, after {TRAFFIC_SWITCH_TIMEOUT_SECONDS} s: check in "
            f"{switch.region} that the metric received the value (get-metric-statistics) and "
            "that the alarm reads that metric, dimensions and period (describe-alarms)"
        )
    return (
        f"{written}; alarm {switch.alarm} {awaited} after {done[1]} s (Route 53's health check "
        "follows the alarm's data, not awaited: its API is in us-east-1)"
    )


def _awaited(switch: TrafficSwitch, value: float) -> str:
    """The alarm state ``value`` gives: below 1 (``STANDBY``) is ALARM, Route 53 answers the DR
    region's entry; ``PRIMARY`` is OK, the primary's."""
    return "ALARM" if value == switch.STANDBY else "OK"


def _metric(switch: TrafficSwitch, value: float) -> str:
    """``namespace metric=value (dimension=..., ...)``, as the plan and errors name a write."""
    dimensions = ", ".join(f"{name}={of}" for name, of in switch.dimensions)
    return f"{switch.namespace} {switch.metric}={value:g} ({dimensions})"


@dataclass(frozen=True)
class Move:
    """One region move's inputs: the deployment's targets and the clients of both regions."""

    targets: DrTargets
    clients: RegionClients

    def fence(self, *, region: str) -> Step:
        """Writers in ``region`` to 0 tasks, their scaling suspended."""
        ecs, autoscaling = self._ecs(region)
        names = list(self.targets.services)

        def act() -> str:
            services.check_services(ecs, cluster=self.targets.ecs_cluster, services=names)
            services.stop(ecs, autoscaling, cluster=self.targets.ecs_cluster, services=names)
            return f"writers in {region} at 0 tasks, scaling suspended"

        return Step(
            f"fence writes: {', '.join(names)} to 0 tasks in {region}", FENCE_SECONDS, None, act
        )

    @property
    def all_services(self) -> dict[str, ServiceScaling]:
        """The writers and the web front end: everything a region move starts or stops."""
        return {**self.targets.services, **self.targets.front_end}

    def scale_up(self, *, region: str) -> Step:
        """Every service in ``region`` at its configured count, scaling resumed."""
        ecs, autoscaling = self._ecs(region)
        scaled = self.all_services

        def act() -> str:
            services.check_services(ecs, cluster=self.targets.ecs_cluster, services=list(scaled))
            services.resume(ecs, autoscaling, cluster=self.targets.ecs_cluster, services=scaled)
            counts = ", ".join(f"{n} {s.desired_count}" for n, s in scaled.items())
            return f"services in {region} at {counts}, scaling resumed"

        return Step(f"scale services up in {region}", SCALE_SECONDS, None, act)

    def scale_down(self, *, region: str) -> Step:
        """Nothing left running or scaling in ``region`` (the web front end too)."""
        ecs, autoscaling = self._ecs(region)
        names = list(self.all_services)

        def act() -> str:
            services.check_services(ecs, cluster=self.targets.ecs_cluster, services=names)
            services.stop(ecs, autoscaling, cluster=self.targets.ecs_cluster, services=names)
            return f"{', '.join(names)} in {region} at 0 tasks, scaling suspended"

        return Step(f"scale down {region}: nothing left running", FENCE_SECONDS, None, act)

    def promote(self, *, to_region: str, planned: bool) -> Step:
        """Switchover (planned, RPO 0) or failover (data loss accepted) to ``to_region``."""
        target = self._cluster_arn(to_region)
        rds = self._rds(to_region)
        global_id = self.targets.global_cluster
        sleep = self.clients.sleep

        def switchover() -> str:
            rds.switchover_global_cluster(
                GlobalClusterIdentifier=global_id, TargetDbClusterIdentifier=target
            )
            done = wait_for_writer(
                rds, global_id, target, sleep, timeout=SWITCHOVER_TIMEOUT_SECONDS, planned=True
            )
            if done is None:
                raise TimeoutError(
                    f"{target} did not become the writer within {SWITCHOVER_TIMEOUT_SECONDS} s"
                )
            return done

        def fail_over() -> str:
            return failover(rds, global_id, target, self._cluster_name(to_region), sleep)

        if planned:
            return Step(
                f"switchover (RPO 0) of {global_id} to {target}",
                PROMOTE_SECONDS,
                (SWITCHOVER_TIMEOUT_SECONDS,),
                switchover,
            )
        return Step(
            f"failover (accepts the replication lag) of {global_id} to {target}",
            PROMOTE_SECONDS,
            (FAILOVER_TIMEOUT_SECONDS, DETACH_TIMEOUT_SECONDS),
            fail_over,
        )

    def writer_instance(self) -> Step:
        """A writer-capable instance in the DR secondary (headless tiers only need one)."""
        cluster = self.targets.secondary_cluster
        rds = self.clients.rds_dr

        def act() -> str:
            return ensure_writer_instance(rds, cluster, self.clients.sleep)

        return Step(
            f"instance in {cluster} to promote",
            CREATE_WRITER_SECONDS,
            (CREATE_WRITER_TIMEOUT_SECONDS,),
            act,
        )

    def traffic(self, *, to_region: str) -> Step:
        """Traffic to ``to_region``: the switch's metric to ``STANDBY`` (the DR region) or
        ``PRIMARY`` (the primary region), written in the DR region, and its alarm awaited."""
        switch = self.targets.traffic_switch
        value = switch.PRIMARY if to_region == self.targets.region else switch.STANDBY

        def act() -> str:
            return switch_traffic(self.clients.cloudwatch_switch, switch, value, self.clients.sleep)

        return Step(
            f"traffic to {to_region}: {_metric(switch, value)} in {switch.region}, then alarm "
            f"{switch.alarm} {_awaited(switch, value)}",
            traffic_seconds(self.targets.traffic_switch_period_seconds),
            (TRAFFIC_SWITCH_TIMEOUT_SECONDS,),
            act,
        )

    def _ecs(self, region: str) -> tuple[Any, Any]:
        if region == self.targets.region:
            return self.clients.ecs_primary, self.clients.autoscaling_primary
        return self.clients.ecs_dr, self.clients.autoscaling_dr

    def _rds(self, region: str) -> Any:
        return self.clients.rds_primary if region == self.targets.region else self.clients.rds_dr

    def _cluster_name(self, region: str) -> str:
        if region == self.targets.region:
            return self.targets.source_cluster
        return self.targets.secondary_cluster

    def _cluster_arn(self, region: str) -> str:
        return f"arn:aws:rds:{region}:{self.targets.account}:cluster:{self._cluster_name(region)}"
