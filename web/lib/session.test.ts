import assert from "node:assert/strict";
import { test } from "node:test";

import { InMemoryWebStorage, User } from "oidc-client-ts";

import { sessionSettings, withoutRefreshToken } from "./session.ts";

const CONFIG = { issuer: "https://i", clientId: "c", logoutUrl: null, uploadOrigins: [] };

test("the user and its tokens are kept in memory; only the sign-in state uses sessionStorage", async () => {
  const session = new InMemoryWebStorage();
  const settings = sessionSettings(CONFIG, "https://portal", session);
  const user = new User({ access_token: "a.b.c", token_type: "Bearer", profile: { sub: "s" } as never });
  await settings.userStore?.set("user:c", user.toStorageString());
  assert.equal(session.length, 0, "the user store is not the page's sessionStorage");
  await settings.stateStore?.set("state-1", "{}");
  assert.equal(session.getItem("oidc.state-1"), "{}");
  assert.equal(settings.automaticSilentRenew, false);
});

test("a refresh token the portal never uses is not kept", () => {
  const user = new User({
    access_token: "a.b.c",
    refresh_token: "r",
    token_type: "Bearer",
    profile: { sub: "s" } as never,
  });
  assert.equal(withoutRefreshToken(user).refresh_token, undefined);
  assert.doesNotMatch(user.toStorageString(), /refresh_token/);
});
