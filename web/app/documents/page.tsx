"use client";

import Link from "next/link";
import { useCallback } from "react";

import { Alert } from "@/components/Alert.tsx";
import { useAuth } from "@/components/AuthProvider.tsx";
import { RequireSignIn } from "@/components/SignInPanel.tsx";
import { StatusBadge } from "@/components/StatusBadge.tsx";
import { UploadForm } from "@/components/UploadForm.tsx";
import { usePolled } from "@/components/usePolled.ts";
import { POLL_IDLE_MS, formatBytes, pollDelay, type Page, type PcsDocument } from "@/lib/documents.ts";

function DocumentList() {
  const { api } = useAuth();
  const load = useCallback(() => api<Page<PcsDocument>>("/api/v1/documents/?limit=50"), [api]);
  const delayFor = useCallback((page: Page<PcsDocument>) => pollDelay(page.results.map((d) => d.status)), []);
  const { data, error, refresh } = usePolled(load, delayFor, POLL_IDLE_MS);
  const processing = data?.results.filter((d) => d.status === "uploaded").length ?? 0;

  return (
    <>
      <h1>Documents</h1>
      <UploadForm onUploaded={refresh} />
      <section className="panel" aria-labelledby="list-heading">
        <h2 id="list-heading">Your organization’s documents</h2>
        <Alert message={error} />
        <p role="status" aria-live="polite" className="summary">
          {data === null
            ? "Loading documents…"
            : `${data.count} document${data.count === 1 ? "" : "s"}${processing ? `, ${processing} processing` : ""}.`}
        </p>
        {data && data.results.length > 0 && (
          <div className="table-scroll">
            <table>
              <caption className="visually-hidden">Documents, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Title</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="wide-only">File</th>
                  <th scope="col">Size</th>
                  <th scope="col" className="wide-only">Registered</th>
                </tr>
              </thead>
              <tbody>
                {data.results.map((document) => (
                  <tr key={document.id}>
                    <th scope="row">
                      <Link href={`/documents/${document.id}`}>{document.title}</Link>
                    </th>
                    <td>
                      <StatusBadge status={document.status} />
                    </td>
                    <td className="wide-only wrap">{document.filename}</td>
                    <td>{formatBytes(document.size_bytes)}</td>
                    <td className="wide-only">
                      <time dateTime={document.created_at}>{new Date(document.created_at).toLocaleString()}</time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

export default function DocumentsPage() {
  return (
    <RequireSignIn returnTo="/documents">
      <DocumentList />
    </RequireSignIn>
  );
}
