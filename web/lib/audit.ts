/** The audit trail as auditors filter and page through it. */

export const AUDIT_PATH = "/api/v1/audit-events/";
export const AUDIT_PAGE_SIZE = 50;

export type AuditEvent = {
  id: string;
  occurred_at: string;
  actor: string;
  action: string;
  object_type: string;
  object_id: string;
  outcome: string;
  source_ip: string | null;
  user_agent: string;
  request_id: string;
  reason: string;
};

/** What an auditor can narrow the trail by (empty strings mean "any"). */
export type AuditFilters = {
  action: string;
  outcome: string;
  actor: string;
  since: string;
  until: string;
};

export const NO_FILTERS: AuditFilters = { action: "", outcome: "", actor: "", since: "", until: "" };

/** `YYYY-MM-DD` from a date input as the start or the end of that day in UTC. */
function dayBound(day: string, end: boolean): string {
  return `${day}T${end ? "23:59:59.999" : "00:00:00"}Z`;
}

/** The trail's URL for `filters` and page `page` (0-based). */
export function auditUrl(filters: AuditFilters, page: number): string {
  const query = new URLSearchParams();
  for (const name of ["action", "outcome", "actor"] as const) {
    const value = filters[name].trim();
    if (value) query.set(name, value);
  }
  if (filters.since) query.set("since", dayBound(filters.since, false));
  if (filters.until) query.set("until", dayBound(filters.until, true));
  query.set("limit", String(AUDIT_PAGE_SIZE));
  query.set("offset", String(page * AUDIT_PAGE_SIZE));
  return `${AUDIT_PATH}?${query}`;
}

/** The words for a date range whose end is before its start, else null. */
export function rangeProblem(filters: AuditFilters): string | null {
  if (filters.since && filters.until && filters.until < filters.since) {
    return "The end date is before the start date.";
  }
  return null;
}
