"""Pointing the application at a restored cluster: its credentials secret and a DNS name."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from ops.dr.errors import BadInput

# Short, so a second switch (back to the original cluster) takes effect within a minute.
DNS_TTL_SECONDS = 60


def read_secret(secrets: Any, secret_id: str) -> dict:
    """The JSON of the credentials secret, or :class:`BadInput` if it does not exist."""
    try:
        value = secrets.get_secret_value(SecretId=secret_id)["SecretString"]
    except ClientError as error:
        if error.response["Error"]["Code"] != "ResourceNotFoundException":
            raise
        raise BadInput(
            "--secret-id", secret_id, "an existing Secrets Manager secret id or ARN"
        ) from None
    return json.loads(value)


def connection_fields(cluster: dict) -> dict[str, Any]:
    """The secret fields that say which cluster to connect to (the password is untouched)."""
    return {
        "host": cluster["Endpoint"],
        "port": cluster["Port"],
        "dbClusterIdentifier": cluster["DBClusterIdentifier"],
    }


def point_secret(secrets: Any, *, secret_id: str, current: dict, cluster: dict) -> None:
    """Write the restored cluster's host, port and identifier into the credentials secret.

    A restored cluster keeps the master password it had at the restore time, so the username and
    password stay as they are; the rotation Lambda reads ``host`` from the secret and follows.
    """
    secrets.put_secret_value(
        SecretId=secret_id, SecretString=json.dumps({**current, **connection_fields(cluster)})
    )


def check_record_name(route53: Any, *, zone_id: str, record_name: str) -> str:
    """Raise :class:`BadInput` unless the zone exists and ``record_name`` lies in it."""
    try:
        zone = route53.get_hosted_zone(Id=zone_id)["HostedZone"]
    except ClientError as error:
        if error.response["Error"]["Code"] != "NoSuchHostedZone":
            raise
        zones = [z["Id"].rsplit("/", 1)[-1] for z in route53.list_hosted_zones()["HostedZones"]]
        raise BadInput(
            "--hosted-zone-id", zone_id, ", ".join(zones) or "no hosted zone exists"
        ) from None
    zone_name = zone["Name"].rstrip(".")
    name = record_name.rstrip(".")
    if name != zone_name and not name.endswith(f".{zone_name}"):
        raise BadInput("--record-name", record_name, f"a name in the zone {zone_name}")
    return name


def point_record(route53: Any, *, zone_id: str, record_name: str, target: str) -> None:
    """UPSERT ``record_name`` as a CNAME to ``target`` (the restored writer endpoint)."""
    route53.change_resource_record_sets(
        HostedZoneId=zone_id,
        ChangeBatch={
            "Comment": "pcs DR: point at the restored cluster",
            "Changes": [
                {
                    "Action": "UPSERT",
                    "ResourceRecordSet": {
                        "Name": record_name,
                        "Type": "CNAME",
                        "TTL": DNS_TTL_SECONDS,
                        "ResourceRecords": [{"Value": target}],
                    },
                }
            ],
        },
    )


def record_target(route53: Any, *, zone_id: str, record_name: str) -> str | None:
    """What ``record_name`` (CNAME) points at now, or None if it does not exist."""
    records = route53.list_resource_record_sets(
        HostedZoneId=zone_id, StartRecordName=record_name, StartRecordType="CNAME", MaxItems="1"
    )["ResourceRecordSets"]
    for record in records:
        if record["Name"].rstrip(".") == record_name.rstrip(".") and record["Type"] == "CNAME":
            return record["ResourceRecords"][0]["Value"]
    return None
