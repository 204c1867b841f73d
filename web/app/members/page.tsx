"use client";

import { useCallback, useEffect, useId, useRef, useState } from "react";

import { Alert } from "@/components/Alert.tsx";
import { useAuth } from "@/components/AuthProvider.tsx";
import { RequirePage } from "@/components/SignInPanel.tsx";
import type { Role } from "@/lib/me.ts";
import { MEMBERS_PATH, ROLES, changeDone, memberState, type Member } from "@/lib/members.ts";

function errorWords(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}

/** Add a person with a role; the API creates their sign-in and tells them. */
function InviteForm({ onInvited }: { onInvited: (member: Member) => void }) {
  const { api } = useAuth();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const id = useId();

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const username = String(form.get("username") ?? "").trim();
    const role = String(form.get("role") ?? "member");
    if (!username) return setError("username: enter the name the person will sign in with.");
    setBusy(true);
    setError(null);
    try {
      onInvited(await api<Member>(MEMBERS_PATH, { method: "POST", body: { username, role } }));
      formRef.current?.reset();
    } catch (reason) {
      setError(errorWords(reason));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite a person</h2>
      <form ref={formRef} onSubmit={submit} noValidate className="inline-form">
        <div className="field">
          <label htmlFor={`${id}-username`}>Username</label>
          <input
            id={`${id}-username`}
            name="username"
            type="text"
            maxLength={150}
            required
            autoComplete="off"
            aria-describedby={`${id}-hint`}
          />
          <p id={`${id}-hint`} className="hint">
            Their e-mail address: the user pool's invitation goes there.
          </p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-role`}>Role</label>
          <select id={`${id}-role`} name="role" defaultValue="member">
            {ROLES.map((role) => (
              <option key={role.value} value={role.value}>
                {role.label}
              </option>
            ))}
          </select>
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? "Inviting…" : "Invite"}
          </button>
        </div>
      </form>
      <Alert message={error} />
    </section>
  );
}

/** One member's row: role change and (de)activation; your own row cannot be changed. */
function MemberRow({
  member,
  self,
  onChange,
}: {
  member: Member;
  self: boolean;
  onChange: (member: Member, change: { role?: Role; is_active?: boolean }) => Promise<void>;
}) {
  const [role, setRole] = useState<Role>(member.role);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const run = async (change: { role?: Role; is_active?: boolean }) => {
    setBusy(true);
    try {
      await onChange(member, change);
    } finally {
      setBusy(false);
    }
  };
  return (
    <tr>
      <th scope="row" className="wrap">
        {member.username}
        {self && " (you)"}
      </th>
      <td className="break mono" data-label="Signs in as">
        {member.sign_in_username}
      </td>
      <td data-label="State">{memberState(member)}</td>
      <td data-label="Role">
        {self ? (
          member.role
        ) : (
          <div className="row-controls">
            <label htmlFor={`${id}-role`} className="visually-hidden">
              Role of {member.username}
            </label>
            <select id={`${id}-role`} value={role} onChange={(event) => setRole(event.target.value as Role)}>
              {ROLES.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.value}
                </option>
              ))}
            </select>
            <button
              type="button"
              disabled={busy || role === member.role}
              onClick={() => void run({ role })}
              aria-label={`Change role of ${member.username}`}
            >
              Change role
            </button>
          </div>
        )}
      </td>
      <td data-label="Access">
        {self ? (
          "—"
        ) : (
          <button
            type="button"
            disabled={busy}
            onClick={() => void run({ is_active: !member.is_active })}
            aria-label={`${member.is_active ? "Deactivate" : "Reactivate"} ${member.username}`}
          >
            {member.is_active ? "Deactivate" : "Reactivate"}
          </button>
        )}
      </td>
    </tr>
  );
}

function Members() {
  const { api, me } = useAuth();
  const [members, setMembers] = useState<Member[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState("");

  const load = useCallback(async () => {
    try {
      setMembers(await api<Member[]>(MEMBERS_PATH));
      setError(null);
    } catch (reason) {
      setError(errorWords(reason));
    }
  }, [api]);

  useEffect(() => {
    void load();
  }, [load]);

  const change = useCallback(
    async (member: Member, body: { role?: Role; is_active?: boolean }) => {
      setDone("");
      setError(null);
      try {
        const updated = await api<Member>(`${MEMBERS_PATH}${member.id}/`, { method: "PATCH", body });
        setMembers((list) => list?.map((item) => (item.id === updated.id ? updated : item)) ?? null);
        setDone(changeDone(updated, body));
      } catch (reason) {
        setError(`${member.username}: ${errorWords(reason)}`);
      }
    },
    [api],
  );

  return (
    <>
      <h1>Members</h1>
      <InviteForm
        onInvited={(member) => {
          setDone(`${member.username} was invited as ${member.role}; they sign in as ${member.sign_in_username}.`);
          void load();
        }}
      />
      <section className="panel" aria-labelledby="members-heading">
        <h2 id="members-heading">Members of {me?.organization.name}</h2>
        <p role="status" className="progress">
          {done}
        </p>
        <Alert message={error} />
        {members === null && !error && <p role="status">Loading members…</p>}
        {members && (
          <div className="table-scroll">
            <table className="cards">
              <caption className="visually-hidden">Members by username</caption>
              <thead>
                <tr>
                  <th scope="col">Username</th>
                  <th scope="col">Signs in as</th>
                  <th scope="col">State</th>
                  <th scope="col">Role</th>
                  <th scope="col">Access</th>
                </tr>
              </thead>
              <tbody>
                {members.map((member) => (
                  <MemberRow key={member.id} member={member} self={member.id === me?.id} onChange={change} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

export default function MembersPage() {
  return (
    <RequirePage href="/members" who="admins">
      <Members />
    </RequirePage>
  );
}
