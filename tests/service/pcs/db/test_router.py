"""Read replicas: reads on the reader, writes on the writer, a writing request reads its writes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from documents.models import Document
from pcs.db.router import READER, WRITER, ReplicaRouter, db_scope

pytestmark = pytest.mark.django_db(transaction=True, databases=[WRITER, READER])

router = ReplicaRouter()


def test_reads_go_to_the_reader_until_the_scope_writes() -> None:
    with db_scope(pinned=False):
        assert router.db_for_read(Document) == READER
        assert router.db_for_write(Document) == WRITER
        assert router.db_for_read(Document) == WRITER


def test_a_new_scope_after_a_write_reads_from_the_reader_again() -> None:
    with db_scope(pinned=False):
        router.db_for_write(Document)
    with db_scope(pinned=False):
        assert router.db_for_read(Document) == READER


def test_migrations_run_only_on_the_writer() -> None:
    assert router.allow_migrate(WRITER, "documents")
    assert not router.allow_migrate(READER, "documents")


def _queries(alias: str) -> CaptureQueriesContext:
    return CaptureQueriesContext(connections[alias])


@contextmanager
def _statements(monkeypatch: pytest.MonkeyPatch, alias: str) -> Iterator[list[str]]:
    """Every statement a cursor sent on `alias`: Django's and psycopg's own (pipelined) ones."""
    sent: list[str] = []
    execute = psycopg.Cursor.execute

    def recorded(cursor: psycopg.Cursor, query: str, *args: object, **kwargs: object) -> object:
        if cursor.connection is connections[alias].connection:
            sent.append(" ".join(str(query).split()))
        return execute(cursor, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "execute", recorded)
    yield sent


def test_document_list_reads_from_the_reader_endpoint_and_writes_only_its_audit_record(
    tenant_a, s3, monkeypatch
) -> None:
    tenant_a.client().post(
        "/api/v1/documents/",
        {"title": "SSP", "filename": "ssp.pdf", "content_type": "application/pdf"},
        format="json",
    )
    with _queries(READER) as reader, _statements(monkeypatch, WRITER) as writes:
        response = tenant_a.client().get("/api/v1/documents/")
    assert response.status_code == 200
    assert response.json()["count"] == 1
    # One query on the reader, no BEGIN or COMMIT: the tenant setting travels in one pipeline
    # with it (psycopg's, outside Django's cursor), in the implicit transaction its Sync ends
    # (row-level security shows the tenant's one document only with the setting in force);
    # count and page in that one query. The token was looked up by the POST a moment ago and
    # is remembered (credential cache).
    sqls = [q["sql"] for q in reader.captured_queries]
    assert [sql.split()[0] for sql in sqls] == ["SELECT"]
    assert "documents_document" in sqls[0]
    # The writer: only the read's audit record (issue 10): the tenant setting and one statement
    # for the row and its outbox copy; the token's last use was stamped by the POST.
    assert [sql.split()[0] for sql in writes] == ["SELECT", "WITH"]
    assert "set_config" in writes[0]
    assert (
        "INSERT INTO audit_auditevent" in writes[1]
        and "INSERT INTO outbox_outboxevent" in writes[1]
    )


def test_registering_a_document_reads_it_back_from_the_writer(tenant_a, s3) -> None:
    with _queries(READER) as reader, _queries(WRITER) as writer:
        response = tenant_a.client().post(
            "/api/v1/documents/",
            {"title": "SSP", "filename": "ssp.pdf", "content_type": "application/pdf"},
            format="json",
        )
    assert response.status_code == 201, response.content
    reads = [q["sql"] for q in writer.captured_queries if q["sql"].startswith("SELECT")]
    assert any('FROM "documents_document"' in sql for sql in reads)
    assert reader.captured_queries == []  # a writing request never touches the replica


def test_the_tests_queries_run_under_the_services_statement_timeout(settings) -> None:
    # conftest creates the test database without it (CREATE DATABASE waits on other runs'
    # sessions); every connection the tests use has it, as the service's connections do.
    for alias in (WRITER, READER):
        with connections[alias].cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == f"{settings.DB_STATEMENT_TIMEOUT_SECONDS}s"
