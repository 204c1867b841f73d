"""Reads for documents (routed to the reader endpoint unless the scope has written)."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from django.db import connections, models, router
from django.db.models import QuerySet

from documents.models import Document

# RFC 3339 in UTC with microseconds, as the API writes every timestamp.
_TIMESTAMP = """to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""


def document_list(*, organization_id: UUID) -> QuerySet[Document]:
    """The organization's documents, newest first.

    The explicit filter and row-level security both scope by tenant: either alone would suffice.
    """
    return Document.objects.filter(organization_id=organization_id).order_by("-created_at", "id")


def document_get(*, organization_id: UUID, document_id: UUID) -> Document | None:
    """One of the organization's documents, or None."""
    return document_list(organization_id=organization_id).filter(pk=document_id).first()


def document_page_json(
    *, organization_id: UUID, fields: Sequence[str], limit: int, offset: int
) -> tuple[int, str]:
    """The organization's document count and one page of them as a JSON array, newest first.

    One round trip, and PostgreSQL writes the JSON: the list's cost is then the database's,
    not model instances and serializers in Python.
    """
    members = []
    for name in fields:
        field = Document._meta.get_field(name)
        column = f"d.{field.column}"
        value = (
            _TIMESTAMP.format(column=column) if isinstance(field, models.DateTimeField) else column
        )
        members.append(f"'{name}', {value}")
    table = Document._meta.db_table
    sql = f"""
        SELECT (SELECT count(*) FROM {table} WHERE organization_id = %(organization)s),
               coalesce(json_agg(json_build_object({", ".join(members)})
                                 ORDER BY d.created_at DESC, d.id), '[]')::text
        FROM (SELECT * FROM {table} WHERE organization_id = %(organization)s
              ORDER BY created_at DESC, id LIMIT %(limit)s OFFSET %(offset)s) AS d
    """  # identifiers come from the model, values are parameters
    params = {"organization": organization_id, "limit": limit, "offset": offset}
    with connections[router.db_for_read(Document)].cursor() as cursor:
        cursor.execute(sql, params)
        count, page = cursor.fetchone()
    return count, page
