import { statusLabel } from "@/lib/documents.ts";

/** A processing state in words (colour only repeats what the text says). */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${status}`}>{statusLabel(status)}</span>;
}
