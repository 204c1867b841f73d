"""The Kafka client boundary: one producer per process, built from settings."""

from __future__ import annotations

import threading
from typing import Any

from confluent_kafka import Producer
from django.conf import settings

_lock = threading.Lock()
_producer: Any = None


def msk_iam_token(_oauth_config: str) -> tuple[str, float]:
    """An MSK IAM auth token signed with the task role's credentials (SASL/OAUTHBEARER).

    Signing is local (SigV4 with the current credentials); librdkafka calls this again before
    the token expires.
    """
    from aws_msk_iam_sasl_signer import MSKAuthTokenProvider

    token, expiry_ms = MSKAuthTokenProvider.generate_auth_token(settings.AWS_REGION)
    return token, expiry_ms / 1000


def _authentication() -> dict[str, Any]:
    if settings.KAFKA_IAM_AUTH:
        # MSK with IAM access control: TLS plus a SigV4-signed OAUTHBEARER token (port 9098).
        return {
            "security.protocol": "SASL_SSL",
            "sasl.mechanisms": "OAUTHBEARER",
            "oauth_cb": msk_iam_token,
        }
    return {"security.protocol": "PLAINTEXT"}


def kafka_config() -> dict[str, Any]:
    """Producer configuration: idempotent, acks from all replicas, failures within a flush."""
    flush_ms = int(settings.OUTBOX_FLUSH_TIMEOUT_SECONDS * 1000)
    return {
        "bootstrap.servers": settings.KAFKA_BOOTSTRAP_SERVERS,
        **_authentication(),
        "client.id": "pcs",
        "enable.idempotence": True,
        "acks": "all",
        "linger.ms": 20,
        # Report a message as failed before the publisher's flush gives up waiting for it.
        "message.timeout.ms": max(1000, flush_ms - 1000),
        "socket.connection.setup.timeout.ms": 3000,
    }


def producer_build(config: dict[str, Any]) -> Any:
    """Construct the client (replaced by a fake in tests: no broker runs there)."""
    return Producer(config)


def kafka_producer_get() -> Any:
    """The process-wide producer, created on first use."""
    global _producer
    with _lock:
        if _producer is None:
            _producer = producer_build(kafka_config())
        return _producer


def kafka_cluster_check(*, timeout: float) -> None:
    """Raise unless the cluster answers a metadata request within `timeout` seconds."""
    kafka_producer_get().list_topics(timeout=timeout)
