/**
 * The pages' Content-Security-Policy, built per request with a fresh nonce (`proxy.ts`): only
 * scripts this server sent with that nonce run (and what they load, `'strict-dynamic'`); no
 * inline script an attacker manages to inject does. The browser may talk to this site, the user
 * pool (issuer and sign-in domain) and the documents bucket (pre-signed uploads), nothing else.
 */

import type { WebConfig } from "./config.ts";

/** A nonce from 16 random bytes, base64 (a new one for every response). */
export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

function origin(url: string | null): string[] {
  return url ? [new URL(url).origin] : [];
}

/**
 * The policy for one response. `development` adds `'unsafe-eval'`, which `next dev` needs for
 * its error overlay (never the built server).
 */
export function contentSecurityPolicy(nonce: string, config: WebConfig, development = false): string {
  const signIn = [...origin(config.issuer), ...origin(config.logoutUrl)];
  const uploads = config.uploadOrigins;
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    // React sets style attributes from script; no stylesheet is injected from outside.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    ["connect-src 'self'", ...signIn, ...uploads].join(" "),
    ["form-action 'self'", ...signIn, ...uploads].join(" "),
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
  ].join("; ");
}
