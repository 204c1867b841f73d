"use client";

import Link from "next/link";
import { useParams } from "next/navigation";
import { useCallback } from "react";

import { Alert } from "@/components/Alert.tsx";
import { useAuth } from "@/components/AuthProvider.tsx";
import { RequireSignIn } from "@/components/SignInPanel.tsx";
import { StatusBadge } from "@/components/StatusBadge.tsx";
import { usePolled } from "@/components/usePolled.ts";
import { POLL_IDLE_MS, formatBytes, pollDelay, type PcsDocument } from "@/lib/documents.ts";

function when(value: string | null): React.ReactNode {
  return value ? <time dateTime={value}>{new Date(value).toLocaleString()}</time> : "—";
}

function DocumentDetail({ id }: { id: string }) {
  const { api } = useAuth();
  const load = useCallback(() => api<PcsDocument>(`/api/v1/documents/${encodeURIComponent(id)}/`), [api, id]);
  const delayFor = useCallback((document: PcsDocument) => pollDelay([document.status]), []);
  const { data: document, error } = usePolled(load, delayFor, POLL_IDLE_MS);

  return (
    <>
      <p>
        <Link href="/documents">← All documents</Link>
      </p>
      <h1>{document ? document.title : "Document"}</h1>
      <Alert message={error} />
      {document === null && !error && <p role="status">Loading…</p>}
      {document && (
        <section className="panel" aria-label="Details">
          <p role="status" aria-live="polite">
            Status: <StatusBadge status={document.status} />
          </p>
          {document.failure_reason && <Alert message={`Processing failed: ${document.failure_reason}`} />}
          <dl className="details">
            <dt>File name</dt>
            <dd className="wrap">{document.filename}</dd>
            <dt>Declared type</dt>
            <dd>{document.content_type}</dd>
            <dt>Detected type</dt>
            <dd>{document.detected_content_type || "—"}</dd>
            <dt>Size</dt>
            <dd>{formatBytes(document.size_bytes)}</dd>
            <dt>SHA-256</dt>
            <dd className="break mono">{document.checksum_sha256 || "—"}</dd>
            <dt>Registered</dt>
            <dd>{when(document.created_at)}</dd>
            <dt>Processed</dt>
            <dd>{when(document.processed_at)}</dd>
          </dl>
        </section>
      )}
    </>
  );
}

export default function DocumentPage() {
  const { id } = useParams<{ id: string }>();
  return (
    <RequireSignIn returnTo={`/documents/${id}`}>
      <DocumentDetail id={id} />
    </RequireSignIn>
  );
}
