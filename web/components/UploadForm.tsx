"use client";

import { useId, useRef, useState } from "react";

import { Alert } from "./Alert.tsx";
import { useAuth } from "./AuthProvider.tsx";
import type { PcsDocument, Registration } from "@/lib/documents.ts";
import { contentTypeOf, uploadToS3 } from "@/lib/upload.ts";

/** Register a document, send its file straight to S3 with the pre-signed form, start processing. */
export function UploadForm({ onUploaded }: { onUploaded: () => void }) {
  const { api } = useAuth();
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState("");
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const titleId = useId();
  const fileId = useId();
  const hintId = useId();

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const title = String(form.get("title") ?? "").trim();
    const file = form.get("file");
    if (!title) return setError("Enter a title for the document.");
    if (!(file instanceof File) || file.size === 0) {
      return setError("Choose a file to upload (it must not be empty).");
    }
    setBusy(true);
    setError(null);
    try {
      setProgress("Registering the document…");
      const registration = await api<Registration>("/api/v1/documents/", {
        method: "POST",
        body: { title, filename: file.name, content_type: contentTypeOf(file) },
      });
      setProgress(`Uploading ${file.name}…`);
      await uploadToS3(registration.upload, file, file.name);
      setProgress("Starting processing…");
      await api<PcsDocument>(`/api/v1/documents/${registration.document.id}/upload-complete/`, {
        method: "POST",
      });
      setProgress(`“${title}” was uploaded; processing has started.`);
      formRef.current?.reset();
      onUploaded();
    } catch (reason) {
      setProgress("");
      setError(reason instanceof Error ? reason.message : String(reason));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="upload-heading">
      <h2 id="upload-heading">Upload a document</h2>
      <form ref={formRef} onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={titleId}>Title</label>
          <input id={titleId} name="title" type="text" maxLength={200} required autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor={fileId}>File</label>
          <input id={fileId} name="file" type="file" required aria-describedby={hintId} />
          <p id={hintId} className="hint">
            PDF, JSON, PNG, JPEG, CSV or plain text.
          </p>
        </div>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Uploading…" : "Upload"}
        </button>
      </form>
      <p role="status" className="progress">
        {progress}
      </p>
      <Alert message={error} />
    </section>
  );
}
