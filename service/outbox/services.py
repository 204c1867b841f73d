"""Publishing the outbox's events to their sinks (audit.services writes them, in the
transaction of the change they record).

The sinks: Kafka (every topic, where the tier runs it) and, for the audit topic, Kinesis Data
Firehose to the audit bucket (`AUDIT_FIREHOSE_STREAM`). An event counts as published once every
configured sink that takes its topic accepted it; until then it stays pending and the next pass
sends it again (at-least-once: consumers deduplicate on the event id).

Publishing and pruning read every tenant's events through the publisher's own login (the
PUBLISHER alias): the outbox's policy admits every row only to that role (migration 0005).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError
from confluent_kafka import KafkaException
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from outbox.firehose import FirehoseClient, firehose_client, record_batches
from outbox.kafka import kafka_producer_get, kafka_topics_ensure
from outbox.models import OutboxEvent
from pcs.db.router import PUBLISHER

logger = logging.getLogger(__name__)

AUDIT_TOPIC = "audit"


class Producer(Protocol):
    """The part of confluent_kafka.Producer the publisher uses."""

    def produce(self, topic: str, **kwargs: Any) -> None:
        """Queue one message; delivery is reported to its `on_delivery` callback."""

    def flush(self, timeout: float) -> int:
        """Wait up to `timeout` seconds for deliveries; the number still queued."""


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


def outbox_publish_pending(
    *, producer: Producer | None = None, firehose: FirehoseClient | None = None
) -> PublishReport:
    """Publish the oldest pending events; undelivered ones stay pending for the next pass.

    Rows are locked with SKIP LOCKED so two publishers never send the same batch concurrently.
    Kafka topics are created first where missing (MSK does not auto-create them); an injected
    ``producer`` or ``firehose`` client is used as is.
    """
    ensure_topics = producer is None
    if producer is None and settings.KAFKA_BOOTSTRAP_SERVERS:
        producer = kafka_producer_get()
    if firehose is None and settings.AUDIT_FIREHOSE_STREAM:
        firehose = firehose_client()
    if producer is None and firehose is None:
        return PublishReport(published=0, failed=0)
    with transaction.atomic(using=PUBLISHER):
        events = list(
            OutboxEvent.objects.using(PUBLISHER)
            .select_for_update(skip_locked=True)
            .filter(published_at__isnull=True)
            .order_by("id")[: settings.OUTBOX_BATCH_SIZE]
        )
        audit = [event for event in events if event.topic == AUDIT_TOPIC]
        if producer is not None:
            errors = _kafka_deliver(producer, events, ensure_topics=ensure_topics)
        else:  # no Kafka on this tier: only the audit topic has a sink
            errors = {e.pk: "no sink for this topic" for e in events if e.topic != AUDIT_TOPIC}
        if firehose is not None:
            errors = _firehose_deliver(firehose, audit) | errors
        delivered = [e.pk for e in events if e.pk not in errors]
        OutboxEvent.objects.using(PUBLISHER).filter(pk__in=delivered).update(
            published_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
        )
        for event_id, error in errors.items():
            OutboxEvent.objects.using(PUBLISHER).filter(pk=event_id).update(
                attempts=F("attempts") + 1, last_error=error[:300]
            )
    if errors:
        logger.warning("outbox: %d events not delivered; they stay pending", len(errors))
    return PublishReport(published=len(delivered), failed=len(errors))


def _kafka_deliver(
    producer: Producer, events: list[OutboxEvent], *, ensure_topics: bool
) -> dict[int, str]:
    """Send every event to Kafka; the undelivered ones with their error."""
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
    return {
        e.pk: errors.get(e.pk, "not acknowledged before the flush timeout")
        for e in events
        if e.pk not in delivered
    }


def _firehose_deliver(client: FirehoseClient, events: list[OutboxEvent]) -> dict[int, str]:
    """Put audit events on the Firehose stream, one JSON line each; the refused ones."""
    lines = [_message(event) + b"\n" for event in events]
    errors: dict[int, str] = {}
    for batch in record_batches(lines):
        try:
            response = client.put_record_batch(
                DeliveryStreamName=settings.AUDIT_FIREHOSE_STREAM,
                Records=[{"Data": lines[index]} for index in batch],
            )
        except (BotoCoreError, ClientError) as exc:
            errors |= {events[index].pk: f"firehose: {type(exc).__name__}" for index in batch}
            continue
        for index, result in zip(batch, response["RequestResponses"], strict=True):
            if "ErrorCode" in result:
                errors[events[index].pk] = f"firehose: {result['ErrorCode']}"
    return errors


def _topics_ensure(topics: set[str]) -> None:
    """Create missing topics; on failure only log: the sends then fail and the events wait."""
    try:
        kafka_topics_ensure(topics, timeout=settings.OUTBOX_FLUSH_TIMEOUT_SECONDS)
    except KafkaException as exc:
        logger.warning("outbox: could not ensure topics %s: %s", sorted(topics), exc)


def outbox_prune_published(*, older_than: timedelta) -> int:
    """Delete events published before `older_than` ago (Kafka and the audit store keep them)."""
    cutoff = timezone.now() - older_than
    with transaction.atomic(using=PUBLISHER):
        deleted, _ = OutboxEvent.objects.using(PUBLISHER).filter(published_at__lt=cutoff).delete()
    return deleted
