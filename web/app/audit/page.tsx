"use client";

import { useCallback, useEffect, useId, useState } from "react";

import { Alert } from "@/components/Alert.tsx";
import { ApiError } from "@/lib/api.ts";
import { useAuth } from "@/components/AuthProvider.tsx";
import { RequirePage } from "@/components/SignInPanel.tsx";
import {
  AUDIT_PAGE_SIZE,
  NO_FILTERS,
  auditUrl,
  rangeProblem,
  type AuditEvent,
  type AuditFilters,
} from "@/lib/audit.ts";
import type { Page } from "@/lib/documents.ts";

const READERS_ONLY = "The audit trail is open to auditors and admins only.";

const OUTCOMES = [
  { value: "", label: "Any outcome" },
  { value: "success", label: "Success" },
  { value: "failure", label: "Failure" },
];

function FilterForm({ onApply }: { onApply: (filters: AuditFilters) => void }) {
  const [draft, setDraft] = useState<AuditFilters>(NO_FILTERS);
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();
  const set = (name: keyof AuditFilters) => (event: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setDraft({ ...draft, [name]: event.target.value });

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const range = rangeProblem(draft);
    setProblem(range);
    if (!range) onApply(draft);
  }

  return (
    <form className="filters" onSubmit={submit} aria-label="Filter the audit trail">
      <div className="field">
        <label htmlFor={`${id}-action`}>Action</label>
        <input id={`${id}-action`} type="text" value={draft.action} onChange={set("action")} placeholder="e.g. document.uploaded" />
      </div>
      <div className="field">
        <label htmlFor={`${id}-outcome`}>Outcome</label>
        <select id={`${id}-outcome`} value={draft.outcome} onChange={set("outcome")}>
          {OUTCOMES.map((outcome) => (
            <option key={outcome.value} value={outcome.value}>
              {outcome.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-actor`}>Actor</label>
        <input id={`${id}-actor`} type="text" value={draft.actor} onChange={set("actor")} autoComplete="off" />
      </div>
      <div className="field">
        <label htmlFor={`${id}-since`}>From (UTC)</label>
        <input id={`${id}-since`} type="date" value={draft.since} onChange={set("since")} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-until`}>To (UTC)</label>
        <input id={`${id}-until`} type="date" value={draft.until} onChange={set("until")} />
      </div>
      <div className="actions">
        <button type="submit" className="primary">
          Apply filters
        </button>
      </div>
      <Alert message={problem} />
    </form>
  );
}

function AuditTrail() {
  const { api } = useAuth();
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  const [page, setPage] = useState(0);
  const [data, setData] = useState<Page<AuditEvent> | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      setData(await api<Page<AuditEvent>>(auditUrl(filters, page)));
    } catch (reason) {
      setData(null);
      if (reason instanceof ApiError && reason.status === 403) {
        setError(`${READERS_ONLY} (${reason.message})`);
      } else {
        setError(reason instanceof Error ? reason.message : String(reason));
      }
    }
  }, [api, filters, page]);

  useEffect(() => {
    void load();
  }, [load]);

  const pages = data ? Math.max(1, Math.ceil(data.count / AUDIT_PAGE_SIZE)) : 1;
  return (
    <>
      <h1>Audit trail</h1>
      <section className="panel" aria-labelledby="filters-heading">
        <h2 id="filters-heading">Filters</h2>
        <FilterForm
          onApply={(next) => {
            setPage(0);
            setFilters(next);
          }}
        />
      </section>
      <section className="panel" aria-labelledby="events-heading">
        <h2 id="events-heading">Events</h2>
        <Alert message={error} />
        <p role="status" className="summary">
          {data ? `${data.count} event${data.count === 1 ? "" : "s"}; page ${page + 1} of ${pages}.` : error ? "" : "Loading events…"}
        </p>
        {data && data.results.length > 0 && (
          <div className="table-scroll">
            <table>
              <caption className="visually-hidden">Audit events, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Action</th>
                  <th scope="col">Object</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Source IP</th>
                  <th scope="col">Request</th>
                </tr>
              </thead>
              <tbody>
                {data.results.map((event) => (
                  <tr key={event.id}>
                    <td>
                      <time dateTime={event.occurred_at}>{new Date(event.occurred_at).toLocaleString()}</time>
                    </td>
                    <td className="wrap">{event.actor || "—"}</td>
                    <td className="mono">{event.action}</td>
                    <td className="break mono">{[event.object_type, event.object_id].filter(Boolean).join(" ") || "—"}</td>
                    <td>
                      {event.outcome}
                      {event.reason ? ` (${event.reason})` : ""}
                    </td>
                    <td className="mono">{event.source_ip || "—"}</td>
                    <td className="break mono">{event.request_id || "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {data && (
          <nav className="pager" aria-label="Audit pages">
            <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
              Previous page
            </button>
            <button type="button" disabled={!data?.next} onClick={() => setPage(page + 1)}>
              Next page
            </button>
          </nav>
        )}
      </section>
    </>
  );
}

export default function AuditPage() {
  return (
    <RequirePage href="/audit" who="auditors and admins">
      <AuditTrail />
    </RequirePage>
  );
}
