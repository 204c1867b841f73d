"""The outbox: events commit with their change, and none is lost while Kafka is down.

Kafka is faked at the client boundary (outbox.kafka.producer_build): no broker runs here.
"""

from __future__ import annotations

import json
import uuid
from concurrent.futures import Future
from datetime import timedelta
from types import SimpleNamespace

import pytest
from confluent_kafka import KafkaError, KafkaException
from django.db import transaction
from django.utils import timezone

from outbox import kafka
from outbox.models import OutboxEvent
from outbox.services import outbox_publish_pending
from outbox.tasks import prune_published, publish_pending
from tenancy.context import tenant_context

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "reader", "publisher"])


class FakeKafka:
    """A broker stand-in behind confluent_kafka's Producer and AdminClient interfaces.

    Up or down; like MSK, it does not auto-create topics: a send to a missing topic fails.
    """

    def __init__(self) -> None:
        self.up = False
        self.topics: dict[str, tuple[int, int]] = {}  # name -> (partitions, replication)
        self.log: list[tuple[str, bytes, dict]] = []
        self.lookups = 0
        self.creation_error: int | None = None  # a KafkaError code create_topics answers with
        self._pending: list[tuple] = []

    def produce(self, topic, *, key, value, headers, on_delivery) -> None:
        self._pending.append((topic, key, value, headers, on_delivery))

    def flush(self, timeout: float) -> int:
        for topic, key, value, _headers, on_delivery in self._pending:
            if not self.up:
                on_delivery("KafkaError{code=_MSG_TIMED_OUT}", None)
            elif topic not in self.topics:
                on_delivery("KafkaError{code=UNKNOWN_TOPIC_OR_PART}", None)
            else:
                self.log.append((topic, key, json.loads(value)))
                on_delivery(None, object())
        self._pending = []
        return 0

    def list_topics(self, timeout: float) -> SimpleNamespace:
        if not self.up:
            raise KafkaException(KafkaError(KafkaError._TRANSPORT))
        self.lookups += 1
        return SimpleNamespace(topics=dict.fromkeys(self.topics))

    def create_topics(self, new_topics, **_timeouts) -> dict[str, Future]:
        futures = {}
        for new in new_topics:
            futures[new.topic] = future = Future()
            if self.creation_error is not None:
                future.set_exception(KafkaException(KafkaError(self.creation_error)))
            else:
                self.topics[new.topic] = (new.num_partitions, new.replication_factor)
                future.set_result(None)
        return futures


@pytest.fixture
def fake_kafka(settings, monkeypatch) -> FakeKafka:
    """Kafka configured, its producer and admin clients replaced by the fake."""
    broker = FakeKafka()
    settings.KAFKA_BOOTSTRAP_SERVERS = "b-1.kafka.test:9094"
    monkeypatch.setattr(kafka, "_producer", None)
    monkeypatch.setattr(kafka, "_admin", None)
    monkeypatch.setattr(kafka, "_topics_present", set())
    monkeypatch.setattr(kafka, "producer_build", lambda config: broker)
    monkeypatch.setattr(kafka, "admin_build", lambda config: broker)
    return broker


def record(n: int, *, organization_id: uuid.UUID | None = None) -> list[int]:
    """Record n events in one transaction: platform events, or (inside its row-level-security
    context) an organization's."""
    scope = (
        transaction.atomic()
        if organization_id is None
        else tenant_context(organization_id=organization_id)
    )
    with scope:
        return [
            OutboxEvent.objects.create(
                topic="documents",
                event_type="document.registered",
                organization_id=organization_id,
                aggregate_id=f"doc-{i}",
                payload={"i": i},
            ).pk
            for i in range(n)
        ]


def test_while_kafka_is_down_events_stay_pending(fake_kafka) -> None:
    record(3)
    assert publish_pending.apply().get() == {"published": 0, "failed": 3}
    pending = OutboxEvent.objects.filter(published_at__isnull=True)
    assert pending.count() == 3
    assert {e.attempts for e in pending} == {1}
    assert "_MSG_TIMED_OUT" in pending.first().last_error


def test_the_outbox_drains_in_order_once_kafka_returns(fake_kafka) -> None:
    ids = record(3)
    publish_pending.apply().get()
    publish_pending.apply().get()
    fake_kafka.up = True
    assert publish_pending.apply().get() == {"published": 3, "failed": 0}
    assert [message["id"] for _, _, message in fake_kafka.log] == ids
    assert fake_kafka.log[0][0] == "pcs.documents"
    assert OutboxEvent.objects.filter(published_at__isnull=True).count() == 0
    assert publish_pending.apply().get() == {"published": 0, "failed": 0}
    assert len(fake_kafka.log) == 3


def test_without_kafka_configured_events_wait_in_the_outbox(settings) -> None:
    settings.KAFKA_BOOTSTRAP_SERVERS = ""
    record(2)
    assert outbox_publish_pending().published == 0
    assert OutboxEvent.objects.filter(published_at__isnull=True).count() == 2


def test_published_events_older_than_a_week_are_pruned_pending_ones_never() -> None:
    old_published, recent_published, old_pending = record(3)
    eight_days_ago = timezone.now() - timedelta(days=8)
    OutboxEvent.objects.filter(pk=old_published).update(published_at=eight_days_ago)
    OutboxEvent.objects.filter(pk=recent_published).update(published_at=timezone.now())
    OutboxEvent.objects.filter(pk=old_pending).update(created_at=eight_days_ago)
    assert prune_published.apply().get() == 1
    assert set(OutboxEvent.objects.values_list("pk", flat=True)) == {recent_published, old_pending}


def test_a_missing_topic_is_created_before_the_first_publish(fake_kafka, settings) -> None:
    fake_kafka.up = True
    record(2)
    assert publish_pending.apply().get() == {"published": 2, "failed": 0}
    assert fake_kafka.topics == {
        "pcs.documents": (settings.KAFKA_TOPIC_PARTITIONS, settings.KAFKA_TOPIC_REPLICATION_FACTOR)
    }
    assert (settings.KAFKA_TOPIC_PARTITIONS, settings.KAFKA_TOPIC_REPLICATION_FACTOR) == (6, 3)


def test_an_existing_topic_is_used_as_is_and_looked_up_once_per_process(fake_kafka) -> None:
    fake_kafka.up = True
    fake_kafka.topics["pcs.documents"] = (12, 3)
    record(1)
    publish_pending.apply().get()
    record(1)
    assert publish_pending.apply().get() == {"published": 1, "failed": 0}
    assert fake_kafka.topics == {"pcs.documents": (12, 3)}
    assert fake_kafka.lookups == 1


def test_a_topic_another_publisher_just_created_counts_as_present(fake_kafka) -> None:
    fake_kafka.up = True
    fake_kafka.creation_error = KafkaError.TOPIC_ALREADY_EXISTS
    fake_kafka.topics["pcs.documents"] = (6, 3)
    kafka._topics_present.clear()
    kafka.kafka_topics_ensure(["pcs.documents", "pcs.audit"], timeout=1)
    assert kafka._topics_present == {"pcs.documents", "pcs.audit"}


def test_a_refused_topic_creation_leaves_the_events_pending(fake_kafka) -> None:
    fake_kafka.up = True
    fake_kafka.creation_error = KafkaError.TOPIC_AUTHORIZATION_FAILED
    record(2)
    assert publish_pending.apply().get() == {"published": 0, "failed": 2}
    pending = OutboxEvent.objects.filter(published_at__isnull=True)
    assert pending.count() == 2
    assert "UNKNOWN_TOPIC_OR_PART" in pending.first().last_error
    assert fake_kafka.topics == {}


def test_a_tenants_events_are_invisible_without_its_context_but_published(
    fake_kafka, tenant_a, tenant_b
) -> None:
    fake_kafka.up = True
    ids = record(1, organization_id=tenant_a.organization.pk)
    ids += record(1, organization_id=tenant_b.organization.pk)
    documents = OutboxEvent.objects.filter(topic="documents")
    assert documents.count() == 0
    with tenant_a.scope():
        assert list(documents.values_list("pk", flat=True)) == ids[:1]
    publish_pending.apply().get()
    published = [message["id"] for topic, _, message in fake_kafka.log if topic == "pcs.documents"]
    assert published == ids


def test_pruning_reaches_every_tenant_and_keeps_unpublished_audit_events(tenant_a) -> None:
    published, pending = record(2, organization_id=tenant_a.organization.pk)
    eight_days_ago = timezone.now() - timedelta(days=8)
    with tenant_a.scope():
        OutboxEvent.objects.filter(pk=published).update(published_at=eight_days_ago)
        OutboxEvent.objects.filter(pk=pending).update(created_at=eight_days_ago, topic="audit")
    assert prune_published.apply().get() == 1
    with tenant_a.scope():
        assert list(OutboxEvent.objects.filter(pk__in=[published, pending])) == [
            OutboxEvent(pk=pending)
        ]
