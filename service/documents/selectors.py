"""Reads for documents (routed to the reader endpoint unless the scope has written)."""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet

from documents.models import Document


def document_list(*, organization_id: UUID) -> QuerySet[Document]:
    """The organization's documents, newest first.

    The explicit filter and row-level security both scope by tenant: either alone would suffice.
    """
    return Document.objects.filter(organization_id=organization_id).order_by("-created_at", "id")


def document_get(*, organization_id: UUID, document_id: UUID) -> Document | None:
    """One of the organization's documents, or None."""
    return document_list(organization_id=organization_id).filter(pk=document_id).first()
