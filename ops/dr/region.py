"""Moving the platform between its regions: the steps of a switchover, failover and failback.

Each step has an expected duration (sources below) so the plan prints the RTO it adds up to; the
commands in ``region_commands.py`` run the steps in order. The order is the safety argument:

- writes are fenced (the old region's writers at 0 tasks, scaling suspended) before the global
  database is promoted, so no writer talks to a demoted or split cluster;
- traffic moves only after the new writer is up and the new region's services run;
- failback leaves nothing scaled in the DR region.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from infra.config import ServiceScaling
from ops.dr import services
from ops.dr.errors import BadInput
from ops.dr.targets import DrTargets

# Expected durations in seconds (the RTO budget; measure them in each game day):
# - fencing: ECS drains tasks (30 s deregistration delay, worker stop timeout 120 s);
# - creating a Serverless v2 instance in a headless secondary: about 10 minutes;
# - switchover / failover of a global database: "typically a minute or two" of promotion
#   (Aurora User Guide, "Using switchover or failover in an Aurora global database");
# - starting Fargate tasks at their desired counts: image pull, container start, two passing
#   health checks of 30 s: about 5 minutes;
# - moving the CloudFront origin: the distribution's deployment, about 5 minutes.
FENCE_SECONDS = 120
CREATE_WRITER_SECONDS = 600
PROMOTE_SECONDS = 120
SCALE_SECONDS = 300
TRAFFIC_SECONDS = 300
POLL_SECONDS = 15
PROMOTE_TIMEOUT_SECONDS = 1800


@dataclass(frozen=True)
class Step:
    """One step of a region move: what it does, how long it is expected to take, the action."""

    description: str
    expected_seconds: int
    action: Callable[[], str]


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
    cloudfront: Any
    sleep: Callable[[float], None] = time.sleep


def global_members(rds: Any, global_cluster: str) -> dict[str, bool]:
    """``{member cluster ARN: is writer}`` of the global cluster, or a one-line BadInput."""
    found = rds.describe_global_clusters(GlobalClusterIdentifier=global_cluster)["GlobalClusters"]
    if not found:
        raise BadInput("global cluster", global_cluster, "an existing global database")
    return {m["DBClusterArn"]: bool(m["IsWriter"]) for m in found[0]["GlobalClusterMembers"]}


def check_member(members: dict[str, bool], arn: str, *, writer: bool) -> None:
    """BadInput unless ``arn`` is a member in the expected role (writer or secondary)."""
    role = "the writer" if writer else "a secondary"
    if members.get(arn) is not writer:
        current = [a for a, is_writer in members.items() if is_writer]
        raise BadInput("global writer", ", ".join(current) or "none", f"{arn} as {role}")


def wait_for_writer(rds: Any, global_cluster: str, arn: str, sleep: Callable[[float], None]) -> str:
    """Poll until ``arn`` is the global cluster's writer and the cluster is available."""
    waited = 0
    while waited <= PROMOTE_TIMEOUT_SECONDS:
        found = rds.describe_global_clusters(GlobalClusterIdentifier=global_cluster)
        cluster = found["GlobalClusters"][0]
        writers = [m["DBClusterArn"] for m in cluster["GlobalClusterMembers"] if m["IsWriter"]]
        if writers == [arn] and cluster["Status"] == "available":
            return f"{arn} is the writer of {global_cluster} after {waited} s"
        sleep(POLL_SECONDS)
        waited += POLL_SECONDS
    raise TimeoutError(f"{arn} did not become the writer within {PROMOTE_TIMEOUT_SECONDS} s")


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
    waited = 0
    while waited <= PROMOTE_TIMEOUT_SECONDS:
        status = rds.describe_db_instances(DBInstanceIdentifier=instance)["DBInstances"][0]
        if status["DBInstanceStatus"] == "available":
            return f"instance {instance} (db.serverless) available after {waited} s"
        sleep(POLL_SECONDS)
        waited += POLL_SECONDS
    raise TimeoutError(f"{instance} was not available within {PROMOTE_TIMEOUT_SECONDS} s")


def switch_origin(cloudfront: Any, distribution_id: str, origin_id: str) -> str:
    """Point every behaviour of the distribution at ``origin_id`` (an origin it already has)."""
    current = cloudfront.get_distribution_config(Id=distribution_id)
    config = current["DistributionConfig"]
    origins = [o["Id"] for o in config["Origins"]["Items"]]
    if origin_id not in origins:
        raise BadInput("--to-origin", origin_id, ", ".join(origins))
    config["DefaultCacheBehavior"]["TargetOriginId"] = origin_id
    for behaviour in config.get("CacheBehaviors", {}).get("Items", []):
        behaviour["TargetOriginId"] = origin_id
    cloudfront.update_distribution(
        Id=distribution_id, IfMatch=current["ETag"], DistributionConfig=config
    )
    return f"distribution {distribution_id} now sends every request to {origin_id}"


@dataclass(frozen=True)
class Move:
    """One region move's inputs: where writes go from and to, and where traffic goes."""

    targets: DrTargets
    clients: RegionClients
    distribution_id: str
    to_origin: str

    def fence(self, *, region: str) -> Step:
        """Writers in ``region`` to 0 tasks, their scaling suspended."""
        ecs, autoscaling = self._ecs(region)
        names = list(self.targets.services)

        def act() -> str:
            services.check_services(ecs, cluster=self.targets.ecs_cluster, services=names)
            services.stop(ecs, autoscaling, cluster=self.targets.ecs_cluster, services=names)
            return f"writers in {region} at 0 tasks, scaling suspended"

        return Step(f"fence writes: {', '.join(names)} to 0 tasks in {region}", FENCE_SECONDS, act)

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

        return Step(f"scale services up in {region}", SCALE_SECONDS, act)

    def scale_down(self, *, region: str) -> Step:
        """Nothing left running or scaling in ``region`` (the web front end too)."""
        ecs, autoscaling = self._ecs(region)
        names = list(self.all_services)

        def act() -> str:
            services.check_services(ecs, cluster=self.targets.ecs_cluster, services=names)
            services.stop(ecs, autoscaling, cluster=self.targets.ecs_cluster, services=names)
            return f"{', '.join(names)} in {region} at 0 tasks, scaling suspended"

        return Step(f"scale down {region}: nothing left running", FENCE_SECONDS, act)

    def promote(self, *, to_region: str, planned: bool) -> Step:
        """Switchover (planned, RPO 0) or failover (data loss accepted) to ``to_region``."""
        target = self._cluster_arn(to_region)
        rds = self._rds(to_region)
        global_id = self.targets.global_cluster

        def act() -> str:
            if planned:
                rds.switchover_global_cluster(
                    GlobalClusterIdentifier=global_id, TargetDbClusterIdentifier=target
                )
            else:
                rds.failover_global_cluster(
                    GlobalClusterIdentifier=global_id,
                    TargetDbClusterIdentifier=target,
                    AllowDataLoss=True,
                )
            return wait_for_writer(rds, global_id, target, self.clients.sleep)

        kind = "switchover (RPO 0)" if planned else "failover (accepts the replication lag)"
        return Step(f"{kind} of {global_id} to {target}", PROMOTE_SECONDS, act)

    def writer_instance(self) -> Step:
        """A writer-capable instance in the DR secondary (headless tiers only need one)."""
        cluster = self.targets.secondary_cluster
        rds = self.clients.rds_dr

        def act() -> str:
            return ensure_writer_instance(rds, cluster, self.clients.sleep)

        return Step(f"instance in {cluster} to promote", CREATE_WRITER_SECONDS, act)

    def traffic(self) -> Step:
        """CloudFront's behaviours to ``to_origin``."""

        def act() -> str:
            return switch_origin(self.clients.cloudfront, self.distribution_id, self.to_origin)

        return Step(
            f"traffic: distribution {self.distribution_id} to origin {self.to_origin}",
            TRAFFIC_SECONDS,
            act,
        )

    def _ecs(self, region: str) -> tuple[Any, Any]:
        if region == self.targets.region:
            return self.clients.ecs_primary, self.clients.autoscaling_primary
        return self.clients.ecs_dr, self.clients.autoscaling_dr

    def _rds(self, region: str) -> Any:
        return self.clients.rds_primary if region == self.targets.region else self.clients.rds_dr

    def _cluster_arn(self, region: str) -> str:
        cluster = (
            self.targets.source_cluster
            if region == self.targets.region
            else self.targets.secondary_cluster
        )
        return f"arn:aws:rds:{region}:{self.targets.account}:cluster:{cluster}"
