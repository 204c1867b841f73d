"""The queue metrics publisher against the real (test) Redis broker; CloudWatch stubbed. Beat
publishes them (not the worker they measure), with the tasks that failed or were retried.

Messages are sent through Celery itself (no worker consumes them here), so the enqueue-time
header is the one production stamps.
"""

from __future__ import annotations

import json
import logging
import time

import boto3
import pytest
from botocore.stub import ANY, Stubber
from celery import shared_task
from django.conf import settings as django_settings

from metrics.services import queue_metrics_publish, task_event_count
from pcs.beat import queue_metrics_publish_once
from pcs.celery import app
from pcs.queues import Queue

pytestmark = pytest.mark.usefixtures("empty_queues")

NAMESPACE = "PCS/Celery"
SERVICE = "pcs-test-worker"
NO_EVENTS = [("TasksFailed", 0.0), ("TasksRetried", 0.0)]


@pytest.fixture
def publishing(settings) -> None:
    """The variables the worker's task definition injects."""
    settings.QUEUE_METRICS_NAMESPACE = NAMESPACE
    settings.QUEUE_METRICS_SERVICE = SERVICE


@pytest.fixture
def cloudwatch(monkeypatch):
    """A CloudWatch client whose calls must match what the stubber expects."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = boto3.client("cloudwatch", region_name="us-east-1")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def send(queue: Queue, count: int) -> None:
    for _ in range(count):
        app.send_task(f"{queue.value}.probe", queue=queue.value)


def datum(name: str, value: object, unit: str) -> dict:
    return {
        "MetricName": name,
        "Dimensions": [{"Name": "Service", "Value": SERVICE}],
        "Timestamp": ANY,
        "Value": value,
        "Unit": unit,
    }


def expect_put(stubber: Stubber, *metric_data: dict) -> None:
    """The next PutMetricData must name the namespace and exactly these data, in this order."""
    stubber.add_response(
        "put_metric_data", {}, {"Namespace": NAMESPACE, "MetricData": list(metric_data)}
    )


def no_events() -> list[dict]:
    """No task failed or was retried."""
    return [datum(name, value, "Count") for name, value in NO_EVENTS]


@pytest.mark.usefixtures("publishing")
def test_depth_of_all_queues_and_the_oldest_age_are_put_to_cloudwatch(cloudwatch) -> None:
    client, stubber = cloudwatch
    send(Queue.OUTBOX, 3)
    send(Queue.DOCUMENTS, 2)
    expect_put(
        stubber,
        datum("QueueDepth", 5.0, "Count"),
        datum("OldestTaskAgeSeconds", ANY, "Seconds"),
        *no_events(),
    )
    backlogs = queue_metrics_publish(cloudwatch=client, now=time.time() + 30)
    by_queue = {b.queue: b for b in backlogs}
    assert {q: b.depth for q, b in by_queue.items()} == {
        "default": 0,
        "documents": 2,
        "outbox": 3,
    }
    assert 30 <= by_queue["outbox"].oldest_age_seconds < 35
    assert by_queue["default"].oldest_age_seconds is None


@pytest.fixture
def sent(cloudwatch) -> list[dict[str, float]]:
    """Accept one put of any data and record the values it sent, by metric name."""
    client, stubber = cloudwatch
    stubber.add_response("put_metric_data", {}, {"Namespace": NAMESPACE, "MetricData": ANY})
    values: list[dict[str, float]] = []

    def capture(params: dict, **_: object) -> None:
        values.append({d["MetricName"]: d["Value"] for d in params["MetricData"]})

    client.meta.events.register("provide-client-params.cloudwatch.PutMetricData", capture)
    return values


@pytest.mark.usefixtures("publishing")
def test_the_age_published_is_the_oldest_message_of_any_queue(cloudwatch, sent) -> None:
    send(Queue.DEFAULT, 1)
    time.sleep(1.1)
    send(Queue.DOCUMENTS, 1)
    backlogs = queue_metrics_publish(cloudwatch=cloudwatch[0])
    ages = {b.queue: b.oldest_age_seconds for b in backlogs if b.oldest_age_seconds is not None}
    assert ages["default"] > ages["documents"] + 1
    assert sent == [
        {
            "QueueDepth": 2.0,
            "OldestTaskAgeSeconds": pytest.approx(ages["default"], abs=0.01),
            "TasksFailed": 0.0,
            "TasksRetried": 0.0,
        }
    ]


@pytest.mark.usefixtures("publishing")
def test_an_empty_broker_publishes_zero_depth_and_zero_age(cloudwatch) -> None:
    client, stubber = cloudwatch
    expect_put(
        stubber,
        datum("QueueDepth", 0.0, "Count"),
        datum("OldestTaskAgeSeconds", 0.0, "Seconds"),
        *no_events(),
    )
    queue_metrics_publish(cloudwatch=client)


@pytest.mark.usefixtures("publishing")
def test_a_message_without_a_send_time_counts_in_depth_but_not_in_age(
    cloudwatch, redis_client
) -> None:
    client, stubber = cloudwatch
    legacy = {"body": "", "headers": {"task": "outbox.publish_pending"}, "properties": {}}
    redis_client.lpush(f"{django_settings.REDIS_KEY_PREFIX}outbox", json.dumps(legacy))
    expect_put(
        stubber,
        datum("QueueDepth", 1.0, "Count"),
        *no_events(),
    )
    queue_metrics_publish(cloudwatch=client)


def test_without_a_namespace_and_service_it_only_logs(cloudwatch, caplog) -> None:
    client, _stubber = cloudwatch  # no response queued: any call would fail the test
    send(Queue.OUTBOX, 2)
    with caplog.at_level(logging.INFO, logger="metrics.services"):
        backlogs = queue_metrics_publish(cloudwatch=client)
    assert sum(b.depth for b in backlogs) == 2
    assert "not published" in caplog.text


@shared_task(name="probe.always_fails", max_retries=0)
def always_fails() -> None:
    raise RuntimeError("probe failure")


@shared_task(name="probe.retries_then_fails", bind=True, max_retries=2, default_retry_delay=0)
def retries_then_fails(self) -> None:
    raise self.retry(exc=RuntimeError("probe retry"))


@pytest.mark.usefixtures("publishing")
def test_failed_and_retried_tasks_are_counted_by_the_workers_signals_and_published_once(
    sent, cloudwatch
) -> None:
    always_fails.apply()
    always_fails.apply()
    retries_then_fails.apply()  # two retries, then the failure of its last attempt
    queue_metrics_publish(cloudwatch=cloudwatch[0])
    assert sent == [
        {"QueueDepth": 0.0, "OldestTaskAgeSeconds": 0.0, "TasksFailed": 3.0, "TasksRetried": 2.0}
    ]
    # Taken: the next minute starts from zero.
    cloudwatch[1].add_response("put_metric_data", {}, {"Namespace": NAMESPACE, "MetricData": ANY})
    queue_metrics_publish(cloudwatch=cloudwatch[0])
    assert sent[-1]["TasksFailed"] == 0.0 and sent[-1]["TasksRetried"] == 0.0


@pytest.mark.usefixtures("publishing")
def test_a_put_that_fails_keeps_the_counts_for_the_next_publish(cloudwatch) -> None:
    client, stubber = cloudwatch
    task_event_count("failed")
    stubber.add_client_error("put_metric_data", "ServiceUnavailable", http_status_code=503)
    expect_put(
        stubber,
        datum("QueueDepth", 0.0, "Count"),
        datum("OldestTaskAgeSeconds", 0.0, "Seconds"),
        datum("TasksFailed", 1.0, "Count"),
        datum("TasksRetried", 0.0, "Count"),
    )
    with pytest.raises(client.exceptions.ClientError, match="ServiceUnavailable"):
        queue_metrics_publish(cloudwatch=client)
    queue_metrics_publish(cloudwatch=client)


def test_an_unknown_task_event_is_refused() -> None:
    with pytest.raises(ValueError, match="task event 'lost' is not one of"):
        task_event_count("lost")


def test_beat_publishes_once_a_minute_whichever_beats_run(redis_client, settings, cloudwatch):
    settings.QUEUE_METRICS_NAMESPACE, settings.QUEUE_METRICS_SERVICE = NAMESPACE, SERVICE
    client, stubber = cloudwatch
    send(Queue.OUTBOX, 4)
    expect_put(
        stubber,
        datum("QueueDepth", 4.0, "Count"),
        datum("OldestTaskAgeSeconds", ANY, "Seconds"),
        *no_events(),
    )
    # Two Beats in the same minute (a deployment): one publishes, the other does not call AWS.
    assert queue_metrics_publish_once(client=redis_client, cloudwatch=client) is True
    assert queue_metrics_publish_once(client=redis_client, cloudwatch=client) is False


def test_no_beat_schedule_entry_leaves_the_metrics_to_a_worker(settings) -> None:
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert not [task for task in tasks if task.startswith("metrics.")]
