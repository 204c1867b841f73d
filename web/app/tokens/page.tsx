"use client";

import { useEffect, useId, useRef, useState } from "react";

import { Alert } from "@/components/Alert.tsx";
import { useAuth } from "@/components/AuthProvider.tsx";
import { ListPanel } from "@/components/ListPanel.tsx";
import { RequirePage } from "@/components/SignInPanel.tsx";
import { useApiList } from "@/components/useApiList.ts";
import { useFormAction } from "@/components/useFormAction.ts";
import { TOKENS_PATH, issueBody, tokenState, type ApiToken, type IssuedToken } from "@/lib/tokens.ts";

function when(value: string | null): React.ReactNode {
  return value ? <time dateTime={value}>{new Date(value).toLocaleString()}</time> : "—";
}

const STATE_WORDS = { active: "Active", expired: "Expired", revoked: "Revoked" } as const;
const COLUMNS = ["Name", "State", "Expires", "Last used", "Revoke"] as const;
const COLUMNS_ADMIN = ["Name", "Member", "State", "Expires", "Last used", "Revoke"] as const;

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
  const id = useId();
  const { error, busy, formRef, onSubmit } = useFormAction((form) => {
    const body = issueBody(String(form.get("name") ?? ""), String(form.get("days") ?? ""));
    if (typeof body === "string") return body;
    return api<IssuedToken>(TOKENS_PATH, { method: "POST", body }).then(onIssued);
  });

  return (
    <section className="panel" aria-labelledby="issue-heading">
      <h2 id="issue-heading">Issue a token</h2>
      <p className="hint">A token lets a script call the API as you, with your role, until it expires or is revoked.</p>
      <form ref={formRef} onSubmit={onSubmit} noValidate className="inline-form">
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
  const { items: tokens, error, done, reload, change } = useApiList<ApiToken>(TOKENS_PATH);
  const [issued, setIssued] = useState<IssuedToken | null>(null);
  const admin = me?.role === "admin";

  function revoke(token: ApiToken) {
    const name = `Token “${token.name || "unnamed"}”`;
    return change(
      () => api<ApiToken>(`${TOKENS_PATH}${token.id}/revoke/`, { method: "POST" }),
      () => `${name} was revoked; it no longer works.`,
      name,
    );
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
            void reload();
          }}
        />
      )}
      <ListPanel
        id="tokens-heading"
        heading={admin ? "Your organization’s tokens" : "Your tokens"}
        caption="API tokens, newest first"
        noun="tokens"
        columns={admin ? COLUMNS_ADMIN : COLUMNS}
        count={tokens?.length ?? null}
        done={done}
        error={error}
        empty="No tokens yet."
      >
        {tokens?.map((token) => {
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
      </ListPanel>
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
