/** Documents as the API returns them, and how the portal presents their processing state. */

export type DocumentStatus = "awaiting_upload" | "uploaded" | "processed" | "failed";

export type PcsDocument = {
  id: string;
  title: string;
  filename: string;
  content_type: string;
  status: DocumentStatus;
  size_bytes: number | null;
  checksum_sha256: string;
  detected_content_type: string;
  failure_reason: string;
  created_at: string;
  processed_at: string | null;
};

export type Page<T> = { count: number; next: string | null; previous: string | null; results: T[] };

export type UploadForm = { url: string; fields: Record<string, string>; expires_in: number };

export type Registration = { document: PcsDocument; upload: UploadForm };

/** Poll quickly while something is in flight, slowly once everything has settled. */
export const POLL_BUSY_MS = 2_000;
export const POLL_IDLE_MS = 15_000;

const LABELS: Record<DocumentStatus, string> = {
  awaiting_upload: "Awaiting upload",
  uploaded: "Processing",
  processed: "Processed",
  failed: "Failed",
};

/** The words shown for a status (an unknown status is shown as the API spelled it). */
export function statusLabel(status: string): string {
  return LABELS[status as DocumentStatus] ?? status;
}

/** True when the worker will not change the document any more. */
export function isSettled(status: string): boolean {
  return status === "processed" || status === "failed";
}

/** How long to wait before refreshing a list or a document. */
export function pollDelay(statuses: readonly string[]): number {
  return statuses.some((status) => status === "uploaded") ? POLL_BUSY_MS : POLL_IDLE_MS;
}

/** "1.5 MB" for 1_500_000; an em dash when the size is not known yet. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return "—";
  const units = ["bytes", "kB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${value} ${units[0]}` : `${value.toFixed(1)} ${units[unit]}`;
}
