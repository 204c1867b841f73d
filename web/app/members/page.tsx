"use client";

import { useCallback, useId, useState } from "react";

import { Alert } from "@/components/Alert.tsx";
import { useAuth } from "@/components/AuthProvider.tsx";
import { ListPanel } from "@/components/ListPanel.tsx";
import { RequirePage } from "@/components/SignInPanel.tsx";
import { useApiList } from "@/components/useApiList.ts";
import { useFormAction } from "@/components/useFormAction.ts";
import type { Role } from "@/lib/me.ts";
import {
  MEMBERS_PATH,
  ROLES,
  changeDone,
  invitedDone,
  memberState,
  type InvitedMember,
  type Member,
} from "@/lib/members.ts";

const COLUMNS = ["Username", "Signs in as", "State", "Role", "Access"] as const;

/** Add a person with a role; the API creates their sign-in and tells them. */
function InviteForm({ onInvited }: { onInvited: (member: InvitedMember) => void }) {
  const { api } = useAuth();
  const id = useId();
  const { error, busy, formRef, onSubmit } = useFormAction((form) => {
    const username = String(form.get("username") ?? "").trim();
    const role = String(form.get("role") ?? "member");
    if (!username) return "username: enter the name the person will sign in with.";
    return api<InvitedMember>(MEMBERS_PATH, { method: "POST", body: { username, role } }).then(onInvited);
  });

  return (
    <section className="panel" aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite a person</h2>
      <form ref={formRef} onSubmit={onSubmit} noValidate className="inline-form">
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
            Their e-mail address: the user pool's invitation goes there, unless your organization
            signs in through its own identity provider.
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
  const { items: members, error, done, setDone, reload, change } = useApiList<Member>(MEMBERS_PATH);

  const changeMember = useCallback(
    (member: Member, body: { role?: Role; is_active?: boolean }) =>
      change(
        () => api<Member>(`${MEMBERS_PATH}${member.id}/`, { method: "PATCH", body }),
        (updated) => changeDone(updated, body),
        member.username,
      ),
    [api, change],
  );

  return (
    <>
      <h1>Members</h1>
      <InviteForm
        onInvited={(member) => {
          setDone(invitedDone(member));
          void reload();
        }}
      />
      <ListPanel
        id="members-heading"
        heading={<>Members of {me?.organization.name}</>}
        caption="Members by username"
        noun="members"
        columns={COLUMNS}
        count={members?.length ?? null}
        done={done}
        error={error}
      >
        {members?.map((member) => (
          <MemberRow key={member.id} member={member} self={member.id === me?.id} onChange={changeMember} />
        ))}
      </ListPanel>
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
