import assert from "node:assert/strict";
import { test } from "node:test";

import { accessTokenClaims } from "./token.ts";

function jwt(payload: object): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${encode({ alg: "RS256" })}.${encode(payload)}.signature`;
}

test("the Cognito username is shown, else the subject", () => {
  assert.deepEqual(accessTokenClaims(jwt({ sub: "s-1", username: "ana", exp: 10 })), {
    username: "ana",
    expiresAt: 10,
  });
  assert.equal(accessTokenClaims(jwt({ sub: "s-1" })).username, "s-1");
});

test("a malformed token yields no name rather than an exception", () => {
  assert.deepEqual(accessTokenClaims("not-a-jwt"), { username: "", expiresAt: null });
});

test("non-ASCII usernames survive decoding", () => {
  assert.equal(accessTokenClaims(jwt({ username: "zoë" })).username, "zoë");
});
