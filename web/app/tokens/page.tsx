"use client";

import { useCallback, useEffect, useId, useRef, useState } from "react";

import { Alert } from "@/components/Alert.tsx";
import { useAuth } from "@/components/AuthProvider.tsx";
import { RequirePage } from "@/components/SignInPanel.tsx";
import { TOKENS_PATH, issueBody, tokenState, type ApiToken, type IssuedToken } from "@/lib/tokens.ts";

function errorWords(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}

function when(value: string | null): React.ReactNode {
  return value ? <time dateTime={value}>{new Date(value).toLocaleString()}</time> : "—";
}

const STATE_WORDS = { active: "Active", expired: "Expired", revoked: "Revoked" } as const;

/** The new token's value, shown this once; focus moves here so it is read out first. */
function ShowOnce({ issued, onDone }: { issued: IssuedToken; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState("");
  const id = useId();
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="panel show-once" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} ref={heading} tabIndex={-1}>
        Your new token “{issued.name || "unnamed"}”
      </h2>
      <p>Copy it now: it is shown only this once and cannot be read again. It expires {when(issued.expires_at)}.</p>
      <label htmlFor={`${id}-value`}>Token value</label>
      <input id={`${id}-value`} className="mono" readOnly value={issued.token} onFocus={(event) => event.target.select()} />
      <div className="row-controls">
        <button
          type="button"
          onClick={() =>
            void navigator.clipboard.writeText(issued.token).then(
              () => setCopied("Copied to the clipboard."),
              () => setCopied("Copying was refused by the browser: select the value and copy it."),
            )
          }
        >
          Copy
        </button>
        <button type="button" className="primary" onClick={onDone}>
          I have copied it
        </button>
      </div>
      <p role="status" className="progress">
        {copied}
      </p>
    </section>
  );
}

function IssueForm({ onIssued }: { onIssued: (issued: IssuedToken) => void }) {
  const { api } = useAuth();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const id = useId();

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body = issueBody(String(form.get("name") ?? ""), String(form.get("days") ?? ""));
    if (typeof body === "string") return setError(body);
    setBusy(true);
    setError(null);
    try {
      onIssued(await api<IssuedToken>(TOKENS_PATH, { method: "POST", body }));
      formRef.current?.reset();
    } catch (reason) {
      setError(errorWords(reason));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="issue-heading">
      <h2 id="issue-heading">Issue a token</h2>
      <p className="hint">A token lets a script call the API as you, with your role, until it expires or is revoked.</p>
      <form ref={formRef} onSubmit={submit} noValidate className="inline-form">
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input id={`${id}-name`} name="name" type="text" maxLength={100} autoComplete="off" placeholder="e.g. nightly export" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-days`}>Expires in (days)</label>
          <input id={`${id}-days`} name="days" type="number" inputMode="numeric" min={1} step={1} defaultValue={30} required />
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? "Issuing…" : "Issue token"}
          </button>
        </div>
      </form>
      <Alert message={error} />
    </section>
  );
}

function Tokens() {
  const { api, me } = useAuth();
  const [tokens, setTokens] = useState<ApiToken[] | null>(null);
  const [issued, setIssued] = useState<IssuedToken | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState("");
  const admin = me?.role === "admin";

  const load = useCallback(async () => {
    try {
      setTokens(await api<ApiToken[]>(TOKENS_PATH));
      setError(null);
    } catch (reason) {
      setError(errorWords(reason));
    }
  }, [api]);

  useEffect(() => {
    void load();
  }, [load]);

  async function revoke(token: ApiToken) {
    setDone("");
    setError(null);
    try {
      const revoked = await api<ApiToken>(`${TOKENS_PATH}${token.id}/revoke/`, { method: "POST" });
      setTokens((list) => list?.map((item) => (item.id === revoked.id ? revoked : item)) ?? null);
      setDone(`Token “${token.name || "unnamed"}” was revoked; it no longer works.`);
    } catch (reason) {
      setError(`Token “${token.name || "unnamed"}”: ${errorWords(reason)}`);
    }
  }

  const now = new Date();
  return (
    <>
      <h1>API tokens</h1>
      {issued ? (
        <ShowOnce issued={issued} onDone={() => setIssued(null)} />
      ) : (
        <IssueForm
          onIssued={(token) => {
            setIssued(token);
            void load();
          }}
        />
      )}
      <section className="panel" aria-labelledby="tokens-heading">
        <h2 id="tokens-heading">{admin ? "Your organization’s tokens" : "Your tokens"}</h2>
        <p role="status" className="progress">
          {done}
        </p>
        <Alert message={error} />
        {tokens === null && !error && <p role="status">Loading tokens…</p>}
        {tokens?.length === 0 && <p>No tokens yet.</p>}
        {tokens && tokens.length > 0 && (
          <div className="table-scroll">
            <table className="cards">
              <caption className="visually-hidden">API tokens, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  {admin && <th scope="col">Member</th>}
                  <th scope="col">State</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Revoke</th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((token) => {
                  const state = tokenState(token, now);
                  const name = token.name || "unnamed";
                  return (
                    <tr key={token.id}>
                      <th scope="row" className="wrap">
                        {name}
                      </th>
                      {admin && (
                        <td className="wrap" data-label="Member">
                          {token.member}
                        </td>
                      )}
                      <td data-label="State">{STATE_WORDS[state]}</td>
                      <td data-label="Expires">{when(token.expires_at)}</td>
                      <td data-label="Last used">{when(token.last_used_at)}</td>
                      <td>
                        {state === "active" ? (
                          <button type="button" onClick={() => void revoke(token)} aria-label={`Revoke ${name}`}>
                            Revoke
                          </button>
                        ) : (
                          <span className="wide-only">—</span>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

export default function TokensPage() {
  return (
    <RequirePage href="/tokens" who="every role">
      <Tokens />
    </RequirePage>
  );
}
