import assert from "node:assert/strict";
import { test } from "node:test";

import { readWebConfig } from "./config.ts";

const REQUIRED = {
  OIDC_ISSUER: "https://i",
  OIDC_CLIENT_ID: "c",
  PCS_UPLOAD_ORIGINS: "https://b.s3.amazonaws.com https://b.s3-fips.us-east-1.amazonaws.com",
};

test("the issuer, client id and upload origins are required and named when missing", () => {
  assert.throws(() => readWebConfig({}), /OIDC_ISSUER, OIDC_CLIENT_ID, PCS_UPLOAD_ORIGINS$/);
  assert.throws(() => readWebConfig({ OIDC_ISSUER: "https://i" }), /: OIDC_CLIENT_ID, PCS_UPLOAD_ORIGINS$/);
});

test("without a Cognito domain the provider's own end-session endpoint is used", () => {
  assert.deepEqual(readWebConfig(REQUIRED), {
    issuer: "https://i",
    clientId: "c",
    logoutUrl: null,
    uploadOrigins: ["https://b.s3.amazonaws.com", "https://b.s3-fips.us-east-1.amazonaws.com"],
  });
});

test("Cognito's logout endpoint is derived from its domain", () => {
  const env = { ...REQUIRED, COGNITO_DOMAIN: "https://p.auth.example/" };
  assert.equal(readWebConfig(env).logoutUrl, "https://p.auth.example/logout");
});

test("an upload origin with a path, or no scheme, is refused by name", () => {
  assert.throws(
    () => readWebConfig({ ...REQUIRED, PCS_UPLOAD_ORIGINS: "https://b.s3.amazonaws.com/x" }),
    /^Error: PCS_UPLOAD_ORIGINS: "https:\/\/b.s3.amazonaws.com\/x" is not an origin/,
  );
  assert.throws(() => readWebConfig({ ...REQUIRED, PCS_UPLOAD_ORIGINS: "b.s3.amazonaws.com" }), /is not an origin/);
});
