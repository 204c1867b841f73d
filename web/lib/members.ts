/** The organization's members as admins manage them (`/api/v1/members/`). */

import type { Role } from "./me.ts";

export const MEMBERS_PATH = "/api/v1/members/";

export type Member = {
  id: number;
  username: string;
  role: Role;
  is_active: boolean;
  signed_in: boolean;
  /** The user pool's generated name for them: what they sign in with (the pool's invitation says). */
  sign_in_username: string;
};

/** How a member just added was told (the members API's answer to an invitation). */
export type InvitedMember = Member & {
  /** The pool's invitation e-mail; nothing (they sign in through the organization's own
   * identity provider); or nothing because this deployment reaches no user pool. */
  invitation: "email" | "identity_provider" | "none";
  identity_provider: string | null;
};

export const ROLES: readonly { value: Role; label: string }[] = [
  { value: "member", label: "Member (documents)" },
  { value: "auditor", label: "Auditor (read-only, audit trail)" },
  { value: "admin", label: "Admin (members and tokens)" },
];

/** The words for a member's state: deactivated, invited (never signed in) or active. */
export function memberState(member: Member): string {
  if (!member.is_active) return "Deactivated";
  return member.signed_in ? "Active" : "Invited, not signed in yet";
}

/** The words for a change an admin just made, for the page's status line. */
export function changeDone(member: Member, change: { role?: Role; is_active?: boolean }): string {
  if (change.role) return `${member.username} is now ${/^[aeiou]/.test(change.role) ? "an" : "a"} ${change.role}.`;
  return `${member.username} was ${change.is_active ? "reactivated" : "deactivated"}.`;
}

/** The words for an invitation just made: what the person received and how they sign in. */
export function invitedDone(member: InvitedMember): string {
  const { username, role, sign_in_username } = member;
  switch (member.invitation) {
    case "email":
      return `${username} was invited as ${role}: the user pool e-mailed them a temporary password; they sign in as ${sign_in_username}.`;
    case "identity_provider":
      return `${username} was added as ${role}: no invitation e-mail is sent; they sign in through your organization's identity provider (${member.identity_provider}) with that address.`;
    case "none":
      return `${username} was added as ${role}; no invitation was sent (this deployment does not reach the user pool): they sign in as ${sign_in_username}.`;
  }
}
