"""The audit leg of the publisher: audit events as JSON lines on the Firehose stream (Stubber).

An event is published once every configured sink took it; a refused record stays pending.
"""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.stub import ANY, Stubber
from django.db import transaction

from outbox.firehose import MAX_RECORDS_PER_CALL, record_batches
from outbox.models import OutboxEvent
from outbox.services import AUDIT_TOPIC, outbox_publish_pending
from pcs.db.router import PUBLISHER

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "reader", "publisher"])

STREAM = "pcs-test-audit-application"


@pytest.fixture
def firehose(settings):
    """A Firehose client whose calls the test scripts; the stream configured, Kafka not."""
    settings.AUDIT_FIREHOSE_STREAM = STREAM
    settings.KAFKA_BOOTSTRAP_SERVERS = ""
    client = boto3.client(
        "firehose", region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t"
    )
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def audit_events(n: int, topic: str = AUDIT_TOPIC) -> list[int]:
    """n platform events (no organization) on `topic`."""
    with transaction.atomic():
        return [
            OutboxEvent.objects.create(
                topic=topic, event_type="probe", aggregate_id="x", payload={"i": i}
            ).pk
            for i in range(n)
        ]


def pending() -> dict[int, str]:
    return dict(
        OutboxEvent.objects.using(PUBLISHER)
        .filter(published_at__isnull=True)
        .values_list("pk", "last_error")
    )


def accepted(n: int, refused: dict[int, str] | None = None) -> dict:
    refused = refused or {}
    responses = [
        {"ErrorCode": refused[i], "ErrorMessage": "x"} if i in refused else {"RecordId": f"r{i}"}
        for i in range(n)
    ]
    return {"FailedPutCount": len(refused), "RequestResponses": responses}


def test_audit_events_go_to_the_stream_as_json_lines(firehose) -> None:
    client, stubber = firehose
    ids = audit_events(2)
    sent: list[bytes] = []
    stubber.add_response(
        "put_record_batch", accepted(2), {"DeliveryStreamName": STREAM, "Records": ANY}
    )
    client.meta.events.register(
        "provide-client-params.firehose.PutRecordBatch",
        lambda params, **_: sent.extend(r["Data"] for r in params["Records"]),
    )
    assert outbox_publish_pending(firehose=client).published == 2
    assert [json.loads(line)["id"] for line in sent] == ids
    assert all(line.endswith(b"\n") and line.count(b"\n") == 1 for line in sent)
    assert pending() == {}


def test_a_refused_record_stays_pending_with_its_error(firehose) -> None:
    client, stubber = firehose
    _, second = audit_events(2)
    stubber.add_response("put_record_batch", accepted(2, {1: "ServiceUnavailableException"}))
    report = outbox_publish_pending(firehose=client)
    assert (report.published, report.failed) == (1, 1)
    assert pending() == {second: "firehose: ServiceUnavailableException"}


def test_a_failed_call_leaves_the_whole_batch_pending(firehose) -> None:
    client, stubber = firehose
    ids = audit_events(3)
    stubber.add_client_error("put_record_batch", service_error_code="ResourceNotFoundException")
    assert outbox_publish_pending(firehose=client).failed == 3
    assert set(pending()) == set(ids)


def test_without_kafka_other_topics_wait_for_a_sink(firehose) -> None:
    client, stubber = firehose
    (audit,) = audit_events(1)
    (document,) = audit_events(1, topic="documents")
    stubber.add_response("put_record_batch", accepted(1))
    assert outbox_publish_pending(firehose=client).published == 1
    assert pending() == {document: "no sink for this topic"}
    assert audit not in pending()


def test_batches_respect_the_record_and_size_limits() -> None:
    assert [len(r) for r in record_batches([b"x"] * 1001)] == [MAX_RECORDS_PER_CALL, 500, 1]
    big = b"x" * (3 * 1024 * 1024)
    assert [len(r) for r in record_batches([big, big, b"x"])] == [1, 2]
