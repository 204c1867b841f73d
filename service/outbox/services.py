"""Recording events (inside the caller's transaction) and publishing them to Kafka."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol
from uuid import UUID

from confluent_kafka import KafkaException
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from outbox.kafka import kafka_producer_get, kafka_topics_ensure
from outbox.models import OutboxEvent
from pcs.db_router import WRITER

logger = logging.getLogger(__name__)

AUDIT_TOPIC = "audit"


class Producer(Protocol):
    """The part of confluent_kafka.Producer the publisher uses."""

    def produce(self, topic: str, **kwargs: Any) -> None:
        """Queue one message; delivery is reported to its `on_delivery` callback."""

    def flush(self, timeout: float) -> int:
        """Wait up to `timeout` seconds for deliveries; the number still queued."""


def event_record(
    *,
    topic: str,
    event_type: str,
    organization_id: UUID | str | None,
    aggregate_id: UUID | str,
    data: dict[str, Any],
) -> OutboxEvent:
    """Add an event to the outbox; the caller's transaction makes it atomic with the change."""
    if not transaction.get_connection(WRITER).in_atomic_block:
        raise RuntimeError("event_record must run inside the transaction that makes the change")
    return OutboxEvent.objects.using(WRITER).create(
        topic=topic,
        event_type=event_type,
        organization_id=organization_id,
        aggregate_id=str(aggregate_id),
        payload=data,
    )


def audit_event_record(
    *,
    action: str,
    actor_id: int | None,
    organization_id: UUID | str,
    entity: str,
    entity_id: UUID | str,
    data: dict[str, Any] | None = None,
) -> OutboxEvent:
    """An audit event (who did what to which entity) on the audit topic."""
    return event_record(
        topic=AUDIT_TOPIC,
        event_type=action,
        organization_id=organization_id,
        aggregate_id=entity_id,
        data={"actor_id": actor_id, "entity": entity, "entity_id": str(entity_id), **(data or {})},
    )


@dataclass(frozen=True)
class PublishReport:
    """What one publishing pass did."""

    published: int
    failed: int


def _message(event: OutboxEvent) -> bytes:
    return json.dumps(
        {
            "id": event.pk,
            "type": event.event_type,
            "organization_id": str(event.organization_id) if event.organization_id else None,
            "occurred_at": event.created_at.isoformat(),
            "data": event.payload,
        }
    ).encode()


def outbox_publish_pending(*, producer: Producer | None = None) -> PublishReport:
    """Publish the oldest pending events; undelivered ones stay pending for the next pass.

    Rows are locked with SKIP LOCKED so two publishers never send the same batch concurrently.
    Delivery is at-least-once: consumers deduplicate on the event id (also the message header).
    The batch's topics are created first where missing (MSK does not auto-create them); an
    injected ``producer`` is used as is.
    """
    ensure_topics = producer is None
    if producer is None:
        if not settings.KAFKA_BOOTSTRAP_SERVERS:
            return PublishReport(published=0, failed=0)
        producer = kafka_producer_get()
    with transaction.atomic(using=WRITER):
        events = list(
            OutboxEvent.objects.using(WRITER)
            .select_for_update(skip_locked=True)
            .filter(published_at__isnull=True)
            .order_by("id")[: settings.OUTBOX_BATCH_SIZE]
        )
        delivered: set[int] = set()
        errors: dict[int, str] = {}
        if ensure_topics and events:
            _topics_ensure({settings.KAFKA_TOPIC_PREFIX + event.topic for event in events})

        def on_delivery(event_id: int) -> Any:
            def callback(err: Any, _msg: Any) -> None:
                if err is None:
                    delivered.add(event_id)
                else:
                    errors[event_id] = str(err)[:300]

            return callback

        for event in events:
            producer.produce(
                settings.KAFKA_TOPIC_PREFIX + event.topic,
                key=event.aggregate_id.encode(),
                value=_message(event),
                headers={"event-id": str(event.pk)},
                on_delivery=on_delivery(event.pk),
            )
        if events:
            producer.flush(settings.OUTBOX_FLUSH_TIMEOUT_SECONDS)
        failed_ids = [e.pk for e in events if e.pk not in delivered]
        OutboxEvent.objects.using(WRITER).filter(pk__in=delivered).update(
            published_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
        )
        for event_id in failed_ids:
            OutboxEvent.objects.using(WRITER).filter(pk=event_id).update(
                attempts=F("attempts") + 1,
                last_error=errors.get(event_id, "not acknowledged before the flush timeout"),
            )
    if failed_ids:
        logger.warning("outbox: %d events not delivered; they stay pending", len(failed_ids))
    return PublishReport(published=len(delivered), failed=len(failed_ids))


def _topics_ensure(topics: set[str]) -> None:
    """Create missing topics; on failure only log: the sends then fail and the events wait."""
    try:
        kafka_topics_ensure(topics, timeout=settings.OUTBOX_FLUSH_TIMEOUT_SECONDS)
    except KafkaException as exc:
        logger.warning("outbox: could not ensure topics %s: %s", sorted(topics), exc)


def outbox_prune_published(*, older_than: timedelta) -> int:
    """Delete events published before `older_than` ago (Kafka and the audit store keep them)."""
    cutoff = timezone.now() - older_than
    deleted, _ = OutboxEvent.objects.using(WRITER).filter(published_at__lt=cutoff).delete()
    return deleted
