"""Read back what a restore and a switch did, and say whether each part is as expected."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ops.dr.pointing import record_target


@dataclass(frozen=True)
class Check:
    """One fact read back from AWS."""

    name: str
    passed: bool
    detail: str

    def __str__(self) -> str:
        return f"{'ok  ' if self.passed else 'FAIL'} {self.name}: {self.detail}"


def cluster_checks(rds: Any, cluster: dict) -> list[Check]:
    """The cluster is available, encrypted, deletion-protected and its writer is available.

    The writer is whichever member Aurora marks as writer: after a failover it is a former
    reader, after a restore by these commands it is ``<cluster>-writer``.
    """
    writers = [m for m in cluster.get("DBClusterMembers", []) if m["IsClusterWriter"]]
    writer, writer_status = "none", "missing"
    if writers:
        writer = writers[0]["DBInstanceIdentifier"]
        (instance,) = rds.describe_db_instances(DBInstanceIdentifier=writer)["DBInstances"]
        writer_status = instance["DBInstanceStatus"]
    return [
        Check("cluster status", cluster["Status"] == "available", cluster["Status"]),
        Check(
            "storage encrypted", bool(cluster.get("StorageEncrypted")), str(cluster.get("KmsKeyId"))
        ),
        Check(
            "deletion protection",
            bool(cluster.get("DeletionProtection")),
            str(cluster.get("DeletionProtection")),
        ),
        Check("writer instance", writer_status == "available", f"{writer} {writer_status}"),
        Check("writer endpoint", bool(cluster.get("Endpoint")), str(cluster.get("Endpoint"))),
    ]


def secret_check(secret: dict, cluster: dict) -> Check:
    """The credentials secret names the cluster's writer endpoint."""
    expected = (cluster["Endpoint"], cluster["DBClusterIdentifier"])
    actual = (secret.get("host"), secret.get("dbClusterIdentifier"))
    return Check("secret points at cluster", actual == expected, f"host={actual[0]}")


def dns_check(route53: Any, *, zone_id: str, record_name: str, cluster: dict) -> Check:
    """The DNS record resolves (CNAME) to the cluster's writer endpoint."""
    target = record_target(route53, zone_id=zone_id, record_name=record_name)
    return Check(
        f"DNS {record_name}",
        target is not None and target.rstrip(".") == cluster["Endpoint"],
        f"CNAME {target}",
    )
