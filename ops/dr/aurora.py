"""Aurora reads and restores: validate first (read-only), then act, so bad input changes nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from ops.dr.errors import BadInput

ENGINE = "aurora-postgresql"
_IDENTIFIER = re.compile(r"^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{0,62}(?<!-)$")


@dataclass(frozen=True)
class RestoreWindow:
    """The times a cluster can be restored to: Aurora's own window, clipped to its retention."""

    earliest: datetime
    latest: datetime
    retention_days: int

    def check(self, when: datetime) -> None:
        """Raise :class:`BadInput` unless ``when`` lies in the window."""
        if not self.earliest <= when <= self.latest:
            raise BadInput(
                "--restore-time",
                _iso(when),
                f"{_iso(self.earliest)} .. {_iso(self.latest)} "
                f"(the cluster's {self.retention_days}-day point-in-time window)",
            )


def parse_time(value: str) -> datetime:
    """An ISO 8601 time with a zone (``2026-11-24T10:15:00Z``) as an aware UTC datetime."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadInput(
            "--restore-time", value, "ISO 8601 with a zone, e.g. 2026-11-24T10:15:00Z"
        ) from None
    if parsed.tzinfo is None:
        raise BadInput("--restore-time", value, "a time with a zone, e.g. 2026-11-24T10:15:00Z")
    return parsed.astimezone(UTC)


def check_new_identifier(rds: Any, field: str, identifier: str) -> None:
    """Raise :class:`BadInput` if ``identifier`` is malformed or already names a cluster."""
    if not _IDENTIFIER.match(identifier):
        raise BadInput(
            field,
            identifier,
            "1-63 letters, digits or single hyphens, starting with a letter, not ending in '-'",
        )
    if identifier in cluster_identifiers(rds):
        raise BadInput(
            field, identifier, "a cluster identifier not in use (restores never overwrite)"
        )


def cluster_identifiers(rds: Any) -> list[str]:
    """Every Aurora cluster identifier in the client's region."""
    pages = rds.get_paginator("describe_db_clusters").paginate()
    return sorted(c["DBClusterIdentifier"] for page in pages for c in page["DBClusters"])


def describe_cluster(rds: Any, field: str, identifier: str) -> dict:
    """The cluster named ``identifier``, or :class:`BadInput` listing those that exist."""
    existing = cluster_identifiers(rds)
    if identifier not in existing:
        raise BadInput(field, identifier, ", ".join(existing) or "no cluster exists in this region")
    (cluster,) = rds.describe_db_clusters(DBClusterIdentifier=identifier)["DBClusters"]
    return cluster


def restore_window(cluster: dict, now: datetime) -> RestoreWindow:
    """Aurora's restorable range for ``cluster``, never older than its backup retention."""
    retention = int(cluster.get("BackupRetentionPeriod", 1))
    earliest = max(cluster["EarliestRestorableTime"], now - timedelta(days=retention))
    latest = cluster.get("LatestRestorableTime", now)
    return RestoreWindow(earliest=earliest, latest=latest, retention_days=retention)


def restore_to_point_in_time(
    rds: Any,
    *,
    source: dict,
    target: str,
    when: datetime | None,
    instance_class: str,
) -> dict:
    """Restore ``source`` as of ``when`` (None: latest) into the new cluster ``target``.

    The new cluster keeps the source's network, key, IAM auth and capacity, with deletion
    protection on; a writer instance is added, because a restored cluster has none.
    """
    options: dict[str, Any] = {
        "DBClusterIdentifier": target,
        "SourceDBClusterIdentifier": source["DBClusterIdentifier"],
        "RestoreType": "full-copy",
        "DeletionProtection": True,
        "CopyTagsToSnapshot": True,
        "EnableIAMDatabaseAuthentication": bool(
            source.get("IAMDatabaseAuthenticationEnabled", True)
        ),
        "VpcSecurityGroupIds": [
            g["VpcSecurityGroupId"] for g in source.get("VpcSecurityGroups", [])
        ],
        **_optional(source, "DBSubnetGroup", "DBSubnetGroupName"),
        **_optional(source, "KmsKeyId", "KmsKeyId"),
        **_optional(source, "ServerlessV2ScalingConfiguration", "ServerlessV2ScalingConfiguration"),
    }
    if when is None:
        options["UseLatestRestorableTime"] = True
    else:
        options["RestoreToTime"] = when
    cluster = rds.restore_db_cluster_to_point_in_time(**options)["DBCluster"]
    add_writer(rds, cluster=target, instance_class=instance_class)
    return cluster


def restore_from_snapshot(
    rds: Any,
    *,
    snapshot_arn: str,
    target: str,
    engine_version: str,
    instance_class: str,
    serverless_scaling: tuple[float, float] | None,
    subnet_group: str | None,
    security_groups: tuple[str, ...],
) -> dict:
    """Restore a recovery point (an Aurora cluster snapshot) into the new cluster ``target``.

    ``serverless_scaling`` (min, max ACU) for a Serverless v2 tier; None for a provisioned one,
    whose writer is ``instance_class``.
    """
    options: dict[str, Any] = {
        "DBClusterIdentifier": target,
        # RDS takes a cluster snapshot by name or ARN; the name (what follows
        # ":cluster-snapshot:") is what every RDS API accepts for a snapshot in this region.
        "SnapshotIdentifier": snapshot_arn.split(":cluster-snapshot:", 1)[-1],
        "Engine": ENGINE,
        "EngineVersion": engine_version,
        "DeletionProtection": True,
        "CopyTagsToSnapshot": True,
        "EnableIAMDatabaseAuthentication": True,
    }
    if serverless_scaling is not None:
        low, high = serverless_scaling
        options["ServerlessV2ScalingConfiguration"] = {"MinCapacity": low, "MaxCapacity": high}
    if subnet_group:
        options["DBSubnetGroupName"] = subnet_group
    if security_groups:
        options["VpcSecurityGroupIds"] = list(security_groups)
    cluster = rds.restore_db_cluster_from_snapshot(**options)["DBCluster"]
    add_writer(rds, cluster=target, instance_class=instance_class)
    return cluster


def add_writer(rds: Any, *, cluster: str, instance_class: str) -> None:
    """Create the restored cluster's first (writer) instance, ``<cluster>-writer``."""
    rds.create_db_instance(
        DBInstanceIdentifier=writer_name(cluster),
        DBClusterIdentifier=cluster,
        Engine=ENGINE,
        DBInstanceClass=instance_class,
    )


def writer_name(cluster: str) -> str:
    """Name of the writer instance the restore commands create."""
    return f"{cluster}-writer"


def _optional(source: dict, key: str, option: str) -> dict[str, Any]:
    return {option: source[key]} if source.get(key) else {}


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
