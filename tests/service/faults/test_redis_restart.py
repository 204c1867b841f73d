"""Redis restarts (losing every message) with processing tasks queued and uploads completing
during the outage: each task still runs, once, within a minute of Redis returning.

API (gunicorn), worker and Beat run as in the containers against a private PostgreSQL, a private
Redis that the test kills and restarts on the same port, and moto's S3 server.
"""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import boto3
import psycopg
import pytest
import redis
from moto.server import ThreadedMotoServer

from tests.service.faults.servers import (
    SERVICE,
    Gunicorn,
    PrivatePostgres,
    PrivateRedis,
    free_port,
    service_env,
)

BUCKET = "pcs-test-documents"
KEY_PREFIX = "faults:"
DOCUMENTS = 5


def call(
    port: int, method: str, path: str, token: str, body: dict | None = None
) -> tuple[int, dict]:
    """Status and JSON body of one request."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=json.dumps(body) if body else None, headers=headers)
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        connection.close()


@pytest.fixture
def s3_endpoint() -> Iterator[str]:
    """moto's S3 as a server (the subprocesses reach it through AWS_ENDPOINT_URL)."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port())
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    s3 = boto3.client("s3", region_name="us-east-1", endpoint_url=endpoint,
                      aws_access_key_id="testing", aws_secret_access_key="testing")  # fmt: skip
    s3.create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    with tempfile.TemporaryDirectory(prefix="pcs-faults-redis-") as directory:
        server = PrivateRedis(Path(directory))
        server.start()
        yield server
        server.stop()


def celery(env: dict[str, str], log: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "pcs", *args, "--loglevel", "INFO"],
        cwd=SERVICE, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip


def test_every_task_runs_once_within_a_minute_of_redis_returning(
    private_postgres: PrivatePostgres,
    private_token: str,
    private_redis: PrivateRedis,
    s3_endpoint: str,
    tmp_path: Path,
) -> None:
    env = service_env(
        private_postgres,
        PCS_REDIS_URL=private_redis.url,
        PCS_REDIS_KEY_PREFIX=KEY_PREFIX,
        PCS_TASK_DISPATCH_SECONDS="1",
        AWS_ENDPOINT_URL=s3_endpoint,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
    )
    s3 = boto3.client("s3", region_name="us-east-1", endpoint_url=s3_endpoint,
                      aws_access_key_id="testing", aws_secret_access_key="testing")  # fmt: skip
    api = Gunicorn(env, tmp_path / "api.log")
    processes: list[subprocess.Popen] = []
    try:
        ids = []
        for index in range(DOCUMENTS):
            status, registered = call(
                api.port, "POST", "/api/v1/documents/", private_token,
                {"title": f"t{index}", "filename": f"f{index}.txt", "content_type": "text/plain"},
            )  # fmt: skip
            assert status == 201, registered
            s3.put_object(
                Bucket=BUCKET, Key=registered["upload"]["fields"]["key"], Body=b"hello %d" % index
            )
            ids.append(registered["document"]["id"])

        def complete(document_id: str) -> None:
            path = f"/api/v1/documents/{document_id}/upload-complete/"
            status, body = call(api.port, "POST", path, private_token)
            assert status == 202, body

        # Three are queued in Redis (no worker runs yet), then Redis dies and loses them.
        for document_id in ids[:3]:
            complete(document_id)
        broker = redis.Redis.from_url(private_redis.url)
        assert broker.llen(f"{KEY_PREFIX}documents") == 3
        private_redis.stop()
        # Two complete while Redis is down: accepted, because they are recorded.
        for document_id in ids[3:]:
            complete(document_id)

        private_redis.start()
        returned = time.monotonic()
        processes.append(celery(env, tmp_path / "worker.log", "worker", "--concurrency", "2",
                                "--without-gossip", "--without-mingle"))  # fmt: skip
        processes.append(celery(env, tmp_path / "beat.log", "beat",
                                "--schedule", str(tmp_path / "beat-schedule")))  # fmt: skip

        def processed() -> dict[str, int]:
            with psycopg.connect(
                f"host=127.0.0.1 port={private_postgres.port} user=postgres dbname=pcs"
            ) as connection:
                rows = connection.execute(
                    "SELECT object_id, count(*) FROM audit_auditevent"
                    " WHERE action = 'document.processed' AND object_id = ANY(%s)"
                    " GROUP BY object_id",
                    [ids],
                ).fetchall()
            return dict(rows)

        while len(processed()) < DOCUMENTS:
            assert time.monotonic() - returned < 60, f"processed only {processed()}"
            time.sleep(0.5)
        time.sleep(3)  # any duplicate run would record a second event by now
        assert processed() == dict.fromkeys(ids, 1)
        with psycopg.connect(
            f"host=127.0.0.1 port={private_postgres.port} user=postgres dbname=pcs"
        ) as connection:
            assert connection.execute("SELECT count(*) FROM outbox_pendingtask").fetchone() == (0,)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)
        api.stop()
