import assert from "node:assert/strict";
import { test } from "node:test";

import { contentSecurityPolicy, newNonce } from "./csp.ts";

const CONFIG = {
  issuer: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc",
  clientId: "c",
  logoutUrl: "https://pcs.auth-fips.us-east-1.amazoncognito.com/logout",
  uploadOrigins: ["https://docs.s3.amazonaws.com"],
};

test("scripts run only with this response's nonce, never inline without it", () => {
  assert.equal(
    contentSecurityPolicy("n0nce", CONFIG),
    [
      "default-src 'self'",
      "script-src 'self' 'nonce-n0nce' 'strict-dynamic'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "font-src 'self'",
      "connect-src 'self' https://cognito-idp.us-east-1.amazonaws.com" +
        " https://pcs.auth-fips.us-east-1.amazoncognito.com https://docs.s3.amazonaws.com",
      "form-action 'self' https://cognito-idp.us-east-1.amazonaws.com" +
        " https://pcs.auth-fips.us-east-1.amazoncognito.com https://docs.s3.amazonaws.com",
      "frame-ancestors 'none'",
      "base-uri 'self'",
      "object-src 'none'",
    ].join("; "),
  );
});

test("only the development server may evaluate strings", () => {
  assert.doesNotMatch(contentSecurityPolicy("n", CONFIG), /unsafe-eval/);
  assert.match(contentSecurityPolicy("n", CONFIG, true), /script-src 'self' 'nonce-n' 'strict-dynamic' 'unsafe-eval';/);
});

test("every nonce is new: 16 random bytes in base64", () => {
  const nonces = new Set(Array.from({ length: 100 }, newNonce));
  assert.equal(nonces.size, 100);
  for (const nonce of nonces) assert.equal(Buffer.from(nonce, "base64").length, 16);
});
