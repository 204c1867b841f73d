"""The Kafka client boundary: one producer (and one admin client) per process, from settings."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from typing import Any

from confluent_kafka import KafkaError, KafkaException, Producer
from confluent_kafka.admin import AdminClient, NewTopic
from django.conf import settings

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_producer: Any = None
_admin: Any = None
_topics_present: set[str] = set()  # topics this process has seen exist or created


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


def _connection() -> dict[str, Any]:
    return {
        "bootstrap.servers": settings.KAFKA_BOOTSTRAP_SERVERS,
        **_authentication(),
        "client.id": "pcs",
    }


def kafka_config() -> dict[str, Any]:
    """Producer configuration: idempotent, acks from all replicas, failures within a flush."""
    flush_ms = int(settings.OUTBOX_FLUSH_TIMEOUT_SECONDS * 1000)
    return {
        **_connection(),
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


def admin_build(config: dict[str, Any]) -> Any:
    """Construct the admin client (replaced by a fake in tests: no broker runs there)."""
    return AdminClient(config)


def kafka_admin_get() -> Any:
    """The process-wide admin client, created on first use."""
    global _admin
    with _lock:
        if _admin is None:
            _admin = admin_build(_connection())
        return _admin


def kafka_topics_ensure(topics: Iterable[str], *, timeout: float) -> None:
    """Create whichever of ``topics`` the cluster lacks; MSK does not auto-create topics.

    Remembered per process, so a topic is looked up once. Replication and partitions come from
    settings (KAFKA_TOPIC_*); a topic another publisher created meanwhile counts as present.
    Raises KafkaException if the cluster cannot be reached or refuses the creation.
    """
    wanted = set(topics) - _topics_present
    if not wanted:
        return
    admin = kafka_admin_get()
    existing = set(admin.list_topics(timeout=timeout).topics)
    missing = sorted(wanted - existing)
    if missing:
        futures = admin.create_topics(
            [
                NewTopic(
                    topic,
                    num_partitions=settings.KAFKA_TOPIC_PARTITIONS,
                    replication_factor=settings.KAFKA_TOPIC_REPLICATION_FACTOR,
                )
                for topic in missing
            ],
            operation_timeout=timeout,
            request_timeout=timeout,
        )
        for topic, future in futures.items():
            try:
                future.result()
                logger.info("kafka: created topic %s", topic)
            except KafkaException as exc:
                if exc.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
                    raise
    _topics_present.update(wanted)
