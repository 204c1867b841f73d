import assert from "node:assert/strict";
import { test } from "node:test";

import { issueBody, tokenState, type ApiToken } from "./tokens.ts";

const TOKEN: ApiToken = {
  id: 1,
  name: "ci",
  member: "ana",
  created_at: "2026-12-01T00:00:00Z",
  expires_at: "2026-12-31T00:00:00Z",
  last_used_at: null,
  revoked_at: null,
};

test("a token is active until it expires, and revoked once revoked", () => {
  assert.equal(tokenState(TOKEN, new Date("2026-12-30T23:59:59Z")), "active");
  assert.equal(tokenState(TOKEN, new Date("2026-12-31T00:00:00Z")), "expired");
  assert.equal(tokenState({ ...TOKEN, revoked_at: "2026-12-02T00:00:00Z" }, new Date("2026-12-03")), "revoked");
});

test("the expiry is a whole number of days; anything else is refused in words", () => {
  assert.deepEqual(issueBody(" ci ", "30"), { name: "ci", days: 30 });
  for (const days of ["", "0", "-1", "2.5", "ten"]) {
    assert.equal(issueBody("ci", days), "Expires in: enter a whole number of days, 1 or more.", days);
  }
});
