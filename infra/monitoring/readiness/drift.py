"""The DR readiness checks, shared by the scheduled Lambda function and ``ops.dr``.

Each check reads the DR region (and, where the comparison needs it, the primary) and returns
findings; a finding is ``ok`` or says what drifted. The function publishes the number of drifted
findings as a metric in the DR region, where an alarm watches it; the CLI prints them before a
failover's plan. Standard library and boto3 only: this file is the Lambda's code as it stands.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

METRIC_NAMESPACE = "PCS/DrReadiness"
DRIFT_METRIC = "DriftedChecks"
# How far back the replication lag is read: the metric is published every minute.
LAG_WINDOW_MINUTES = 10

ClientFactory = Callable[[str, str], Any]


@dataclass(frozen=True)
class Expected:
    """What the DR region must hold for a failover to work (names, not lookups)."""

    primary_region: str
    dr_region: str
    ecs_cluster: str
    services: tuple[str, ...]  # the ECS services both regions run
    global_cluster: str
    secondary_cluster: str  # the global database's member in the DR region
    rpo_seconds: int  # the most replication lag the database's RPO allows
    user_pool: str  # the standby user pool's name in the DR region
    traffic_switch_alarm: str  # the alarm the origin name's health check reads, in the DR region

    def environment(self) -> dict[str, str]:
        """The Lambda function's environment that :meth:`from_environment` reads back."""
        return {
            f"DR_{key.upper()}": ",".join(value) if isinstance(value, tuple) else str(value)
            for key, value in asdict(self).items()
        }

    @classmethod
    def from_environment(cls, environment: dict[str, str]) -> Expected:
        """The expectations the function was deployed with."""
        values: dict[str, Any] = {
            key: environment[f"DR_{key.upper()}"] for key in cls.__dataclass_fields__
        }
        values["services"] = tuple(values["services"].split(","))
        values["rpo_seconds"] = int(values["rpo_seconds"])
        return cls(**values)


@dataclass(frozen=True)
class Finding:
    """One precondition as read back."""

    check: str
    ok: bool
    detail: str

    def __str__(self) -> str:
        return f"{'ok   ' if self.ok else 'DRIFT'} {self.check}: {self.detail}"


def _error(error: Exception) -> str:
    if isinstance(error, ClientError):
        return f"{error.response['Error']['Code']}: {error.response['Error']['Message']}"
    return str(error)


def _task_images(ecs: Any, cluster: str, services: tuple[str, ...]) -> dict[str, list[str]]:
    """Each service's current task definition's container images."""
    found = ecs.describe_services(cluster=cluster, services=list(services))["services"]
    images = {}
    for service in found:
        definition = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])
        images[service["serviceName"]] = [
            c["image"] for c in definition["taskDefinition"]["containerDefinitions"]
        ]
    return images


def _repository_and_reference(image: str) -> tuple[str, dict[str, str]]:
    """``<registry>/<repository>:<tag>`` or ``...@sha256:...`` as ECR's describe_images ids."""
    path = image.split("/", 1)[1] if "/" in image else image
    if "@" in path:
        repository, digest = path.split("@", 1)
        return repository, {"imageDigest": digest}
    repository, _, tag = path.rpartition(":")
    return repository, {"imageTag": tag}


def _digest(ecr: Any, image: str) -> str:
    repository, reference = _repository_and_reference(image)
    found = ecr.describe_images(repositoryName=repository, imageIds=[reference])["imageDetails"]
    return found[0]["imageDigest"]


def check_images(clients: ClientFactory, expected: Expected) -> Iterator[Finding]:
    """Every image a DR service runs is in the DR registry with the digest the primary's
    registry holds under the same name, and each DR service runs the same images as its
    primary counterpart (its task definition is current)."""
    dr_ecs = clients("ecs", expected.dr_region)
    dr = _task_images(dr_ecs, expected.ecs_cluster, expected.services)
    missing = sorted(set(expected.services) - set(dr))
    if missing:
        yield Finding("DR services", False, f"missing in {expected.dr_region}: {missing}")
    try:
        primary = _task_images(
            clients("ecs", expected.primary_region), expected.ecs_cluster, expected.services
        )
    except (ClientError, BotoCoreError) as error:
        primary = {}
        yield Finding("primary task definitions", False, f"unreadable: {_error(error)}")
    dr_ecr = clients("ecr", expected.dr_region)
    primary_ecr = clients("ecr", expected.primary_region)
    for service, images in sorted(dr.items()):
        names = [image.split("/", 1)[-1] for image in images]
        if service in primary:
            current = [image.split("/", 1)[-1] for image in primary[service]]
            yield Finding(
                f"{service} task definition",
                names == current,
                "runs the primary's images"
                if names == current
                else f"runs {names}, the primary runs {current}",
            )
        for image in images:
            try:
                digest = _digest(dr_ecr, image)
            except ClientError as error:
                yield Finding(f"{service} image", False, f"{image}: {_error(error)}")
                continue
            if not primary:  # the primary region does not answer: compare nothing there
                yield Finding(f"{service} image", True, f"{image} {digest} (not compared)")
                continue
            try:
                primary_digest = _digest(primary_ecr, image)
            except ClientError as error:
                yield Finding(
                    f"{service} image", False, f"{image}: not in the primary: {_error(error)}"
                )
                continue
            yield Finding(
                f"{service} image",
                digest == primary_digest,
                f"{image} {digest}"
                if digest == primary_digest
                else f"{image} is {digest} here, {primary_digest} in {expected.primary_region}",
            )


def _secret_ids(ecs: Any, expected: Expected) -> list[str]:
    """The secrets the DR services' task definitions read (ARNs without the JSON key)."""
    ids: set[str] = set()
    found = ecs.describe_services(cluster=expected.ecs_cluster, services=list(expected.services))
    for service in found["services"]:
        definition = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])
        for container in definition["taskDefinition"]["containerDefinitions"]:
            for secret in container.get("secrets", []):
                # arn:aws:secretsmanager:<region>:<account>:secret:<name>[:<json key>::]
                ids.add(":".join(secret["valueFrom"].split(":")[:7]))
    return sorted(ids)


def check_secrets(clients: ClientFactory, expected: Expected) -> Iterator[Finding]:
    """Every secret a DR task reads exists in the DR region and its replication is in sync."""
    dr = clients("secretsmanager", expected.dr_region)
    primary = clients("secretsmanager", expected.primary_region)
    primary_down = ""  # once the primary does not answer, its other secrets are not asked
    for secret_id in _secret_ids(clients("ecs", expected.dr_region), expected):
        name = secret_id.rsplit(":", 1)[-1]
        if f":{expected.dr_region}:" not in secret_id:
            yield Finding(f"secret {name}", False, f"read from another region: {secret_id}")
            continue
        try:
            dr.describe_secret(SecretId=secret_id)
        except ClientError as error:
            yield Finding(f"secret {name}", False, f"not in {expected.dr_region}: {_error(error)}")
            continue
        if primary_down:
            yield Finding(f"secret {name}", True, f"in {expected.dr_region} ({primary_down})")
            continue
        primary_id = secret_id.replace(f":{expected.dr_region}:", f":{expected.primary_region}:")
        try:
            status = primary.describe_secret(SecretId=primary_id).get("ReplicationStatus", [])
        except BotoCoreError as error:
            primary_down = f"replication not read: {_error(error)}"
            yield Finding(f"secret {name}", True, f"in {expected.dr_region} ({primary_down})")
            continue
        here = [s["Status"] for s in status if s["Region"] == expected.dr_region]
        yield Finding(f"secret {name}", here == ["InSync"], f"replication {here or 'none'}")


def check_database(clients: ClientFactory, expected: Expected, now: datetime) -> Iterator[Finding]:
    """The DR cluster is a secondary of an available global database, and its replication lag
    stayed under the RPO in the last minutes (no data at all is drift: lag unknown)."""
    rds = clients("rds", expected.dr_region)
    found = rds.describe_global_clusters(GlobalClusterIdentifier=expected.global_cluster)
    if not found["GlobalClusters"]:
        yield Finding("global database", False, f"no {expected.global_cluster}")
        return
    cluster = found["GlobalClusters"][0]
    roles = {
        m["DBClusterArn"].rsplit(":", 1)[-1]: m["IsWriter"] for m in cluster["GlobalClusterMembers"]
    }
    secondary = roles.get(expected.secondary_cluster) is False
    yield Finding(
        "global database",
        secondary and cluster["Status"] == "available",
        f"{expected.global_cluster} {cluster['Status']}; "
        f"{expected.secondary_cluster} {'a secondary' if secondary else 'not a secondary'}",
    )
    statistics = clients("cloudwatch", expected.dr_region).get_metric_statistics(
        Namespace="AWS/RDS",
        MetricName="AuroraGlobalDBRPOLag",
        Dimensions=[{"Name": "DBClusterIdentifier", "Value": expected.secondary_cluster}],
        StartTime=now - timedelta(minutes=LAG_WINDOW_MINUTES),
        EndTime=now,
        Period=60,
        Statistics=["Maximum"],
    )["Datapoints"]
    if not statistics:
        yield Finding("replication lag", False, f"no data in {LAG_WINDOW_MINUTES} min")
        return
    worst_ms = max(point["Maximum"] for point in statistics)
    yield Finding(
        "replication lag",
        worst_ms <= expected.rpo_seconds * 1000,
        f"at most {worst_ms:g} ms in {LAG_WINDOW_MINUTES} min (RPO {expected.rpo_seconds} s)",
    )


def check_user_pool(clients: ClientFactory, expected: Expected) -> Iterator[Finding]:
    """The standby user pool answers in the DR region."""
    cognito = clients("cognito-idp", expected.dr_region)
    pools = [
        pool
        for page in cognito.get_paginator("list_user_pools").paginate(MaxResults=60)
        for pool in page["UserPools"]
        if pool["Name"] == expected.user_pool
    ]
    if not pools:
        yield Finding(
            "standby user pool", False, f"no {expected.user_pool} in {expected.dr_region}"
        )
        return
    pool = cognito.describe_user_pool(UserPoolId=pools[0]["Id"])["UserPool"]
    yield Finding("standby user pool", True, f"{pool['Id']} answers")


def check_traffic_switch(clients: ClientFactory, expected: Expected) -> Iterator[Finding]:
    """The traffic switch's alarm is in the DR region and reads OK: the primary serves, and a
    failover's write of the standby value has an alarm to move (``ops/dr/region.py``)."""
    alarm = expected.traffic_switch_alarm
    found = clients("cloudwatch", expected.dr_region).describe_alarms(AlarmNames=[alarm])
    if not found["MetricAlarms"]:
        yield Finding("traffic switch", False, f"no alarm {alarm} in {expected.dr_region}")
        return
    state = found["MetricAlarms"][0]["StateValue"]
    if state == "OK":
        yield Finding("traffic switch", True, f"{alarm} OK (the primary serves)")
    elif state == "ALARM":
        yield Finding("traffic switch", False, f"{alarm} ALARM (traffic is on the DR region)")
    else:  # no value in its data: the switch was never written, or the alarm reads another
        yield Finding(
            "traffic switch",
            False,
            f"{alarm} {state}: no value read; write the primary's with move-traffic --to primary",
        )


def check_all(
    clients: ClientFactory, expected: Expected, now: datetime | None = None
) -> list[Finding]:
    """Every readiness check in order; a check that cannot read what it needs is drift."""
    now = now or datetime.now(UTC)
    checks: list[tuple[str, Callable[[], Iterator[Finding]]]] = [
        ("images", lambda: check_images(clients, expected)),
        ("secrets", lambda: check_secrets(clients, expected)),
        ("database", lambda: check_database(clients, expected, now)),
        ("user pool", lambda: check_user_pool(clients, expected)),
        ("traffic switch", lambda: check_traffic_switch(clients, expected)),
    ]
    findings: list[Finding] = []
    for name, check in checks:
        try:
            findings.extend(check())
        except (ClientError, BotoCoreError) as error:
            findings.append(Finding(name, False, f"unreadable: {_error(error)}"))
    return findings


# Timeouts of the function's calls: the whole run fits the function's timeout.
_CONFIG = Config(
    connect_timeout=5, read_timeout=10, retries={"total_max_attempts": 2, "mode": "standard"}
)


def handler(_event: dict, _context: Any) -> dict:
    """Lambda entry point: run the checks, log each finding, publish the drifted count."""
    expected = Expected.from_environment(dict(os.environ))

    def clients(service: str, region: str) -> Any:
        return boto3.client(service, region_name=region, config=_CONFIG)

    findings = check_all(clients, expected)
    drifted = [f for f in findings if not f.ok]
    for finding in findings:
        print(json.dumps(asdict(finding)))
    clients("cloudwatch", expected.dr_region).put_metric_data(
        Namespace=METRIC_NAMESPACE,
        MetricData=[{"MetricName": DRIFT_METRIC, "Value": len(drifted), "Unit": "Count"}],
    )
    return {"checks": len(findings), "drifted": len(drifted)}
