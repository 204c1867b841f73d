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
