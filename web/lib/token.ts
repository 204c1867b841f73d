/** What the portal reads from the member's access token (display only: the API verifies it). */

export type TokenClaims = { username: string; expiresAt: number | null };

function base64UrlDecode(segment: string): string {
  const base64 = segment.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  return new TextDecoder().decode(Uint8Array.from(atob(padded), (c) => c.charCodeAt(0)));
}

/** The name to show and the expiry of a JWT access token (Cognito's `username`, else `sub`). */
export function accessTokenClaims(token: string): TokenClaims {
  try {
    const payload = JSON.parse(base64UrlDecode(token.split(".")[1] ?? "")) as Record<string, unknown>;
    const username = String(payload.username ?? payload.sub ?? "");
    const expiresAt = typeof payload.exp === "number" ? payload.exp : null;
    return { username, expiresAt };
  } catch {
    return { username: "", expiresAt: null };
  }
}
