/** API tokens as a person issues, lists and revokes them (`/api/v1/tokens/`). */

export const TOKENS_PATH = "/api/v1/tokens/";

export type ApiToken = {
  id: number;
  name: string;
  member: string;
  created_at: string;
  expires_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
};

/** The answer to issuing a token: its record and, this once, its value. */
export type IssuedToken = ApiToken & { token: string };

/** Whether a token can still be used at `now`. */
export function tokenState(token: ApiToken, now: Date): "active" | "expired" | "revoked" {
  if (token.revoked_at) return "revoked";
  return new Date(token.expires_at) <= now ? "expired" : "active";
}

/**
 * The body for issuing a token named `name` that lasts `days` (text from the form), or the words
 * for why not. The upper bound is the API's to state (it names its limit when refusing).
 */
export function issueBody(name: string, days: string): { name: string; days: number } | string {
  const trimmed = days.trim();
  if (!/^\d+$/.test(trimmed) || Number(trimmed) < 1) {
    return "Expires in: enter a whole number of days, 1 or more.";
  }
  return { name: name.trim(), days: Number(trimmed) };
}
