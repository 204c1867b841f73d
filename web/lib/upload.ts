/**
 * The browser's side of a pre-signed S3 POST: the form the API returned plus the file, sent
 * straight to S3, and S3's refusals put in words.
 */

import type { UploadForm } from "./documents.ts";
import { UNREACHABLE } from "./api.ts";

export const UPLOAD_TIMEOUT_MS = 10 * 60_000;

/** The content type to register for `file` (browsers leave it empty for unknown extensions). */
export function contentTypeOf(file: { type: string }): string {
  return file.type || "application/octet-stream";
}

/** The multipart body: every policy field first, the file last (S3 ignores fields after it). */
export function uploadBody(form: UploadForm, file: Blob, filename: string): FormData {
  const body = new FormData();
  for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
  body.append("file", file, filename);
  return body;
}

const S3_REFUSALS: Record<string, string> = {
  EntityTooLarge: "The file is larger than the service accepts.",
  EntityTooSmall: "The file is empty; choose a file with content.",
  AccessDenied: "The upload was refused: the upload form is not valid for this file.",
  ExpiredToken: "The upload form has expired. Register the document again.",
};

/** The words for S3 answering `status` with the XML error `xml`. */
export function describeS3Refusal(status: number, xml: string): string {
  const code = /<Code>([^<]+)<\/Code>/.exec(xml)?.[1] ?? "";
  const message = /<Message>([^<]+)<\/Message>/.exec(xml)?.[1] ?? "";
  if (code === "AccessDenied" && /expired/i.test(message)) return S3_REFUSALS.ExpiredToken;
  const known = S3_REFUSALS[code];
  if (known) return `Upload refused: ${known}`;
  const detail = message || code || `status ${status}`;
  return `Upload refused by storage (${detail}).`;
}

/** Send `file` with the pre-signed form; resolves when S3 has stored it, else throws in words. */
export async function uploadToS3(
  form: UploadForm,
  file: Blob,
  filename: string,
  fetchImpl: typeof fetch = fetch,
): Promise<void> {
  let response: Response;
  try {
    response = await fetchImpl(form.url, {
      method: "POST",
      body: uploadBody(form, file, filename),
      signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
    });
  } catch {
    throw new Error(`Upload failed: ${UNREACHABLE}`);
  }
  if (!response.ok) throw new Error(describeS3Refusal(response.status, await response.text()));
}
