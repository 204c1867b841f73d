import assert from "node:assert/strict";
import { test } from "node:test";

import { readWebConfig } from "./config.ts";

test("the issuer and client id are required and named when missing", () => {
  assert.throws(() => readWebConfig({}), /OIDC_ISSUER, OIDC_CLIENT_ID/);
  assert.throws(() => readWebConfig({ OIDC_ISSUER: "https://i" }), /: OIDC_CLIENT_ID$/);
});

test("without a Cognito domain the provider's own end-session endpoint is used", () => {
  const config = readWebConfig({ OIDC_ISSUER: "https://i", OIDC_CLIENT_ID: "c" });
  assert.deepEqual(config, { issuer: "https://i", clientId: "c", logoutUrl: null });
});

test("Cognito's logout endpoint is derived from its domain", () => {
  const env = { OIDC_ISSUER: "https://i", OIDC_CLIENT_ID: "c", COGNITO_DOMAIN: "https://p.auth.example/" };
  assert.equal(readWebConfig(env).logoutUrl, "https://p.auth.example/logout");
});
