#!/usr/bin/env node
/**
 * A local OpenID provider standing in for the Cognito user pool (development and browser tests).
 *
 * Built on `oidc-provider` (OpenID-certified). It signs RS256 access tokens shaped like Cognito's:
 * `iss`, `sub`, `client_id`, `token_use: "access"`, `username`, `scope`, `iat`, `exp`, `jti` (plus
 * the `aud` oidc-provider always sets), and publishes its keys at Cognito's JWKS path. The web app
 * is a public client (authorization code with PKCE required, no secret). Any username signs in with
 * any non-empty password; the API decides whether that username is a member, and with what role.
 *
 * Usage: node local-oidc/server.mjs --port 9000 --web-origin http://127.0.0.1:3000
 * Prints "local OpenID provider ready on <issuer>" once it listens.
 */

import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { parseArgs } from "node:util";

import Provider from "oidc-provider";

const { values: options } = parseArgs({
  options: {
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "9000" },
    "web-origin": { type: "string", default: "http://127.0.0.1:3000" },
    "client-id": { type: "string", default: "pcs-web-local" },
    "token-seconds": { type: "string", default: "3600" },
  },
});

const issuer = `http://${options.host}:${options.port}`;
const webOrigin = options["web-origin"];
const tokenSeconds = Number(options["token-seconds"]);
if (!Number.isInteger(tokenSeconds) || tokenSeconds < 1) {
  console.error(`--token-seconds must be a positive integer, got "${options["token-seconds"]}"`);
  process.exit(2);
}
const API_RESOURCE = "urn:pcs:api";
const SCOPE = "openid";

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: "jwk" }), kid: randomBytes(8).toString("hex"), use: "sig", alg: "RS256" };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: options["client-id"],
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      redirect_uris: [`${webOrigin}/auth/callback`],
      post_logout_redirect_uris: [`${webOrigin}/signed-out`],
    },
  ],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString("hex")] },
  routes: { jwks: "/.well-known/jwks.json" },
  scopes: [SCOPE],
  claims: { openid: ["sub"] },
  // Like the user pool, every sign-in gets a refresh token, whether the client uses it or not.
  issueRefreshToken: async () => true,
  ttl: { RefreshToken: tokenSeconds, AccessToken: tokenSeconds, IdToken: tokenSeconds, Session: tokenSeconds, Grant: tokenSeconds },
  async findAccount(_ctx, sub) {
    return { accountId: sub, async claims() { return { sub }; } };
  },
  // First-party client: consent is implied, as in the user pool.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope(SCOPE);
    grant.addResourceScope(API_RESOURCE, SCOPE);
    await grant.save();
    return grant;
  },
  async extraTokenClaims(_ctx, token) {
    if (token.kind !== "AccessToken") return undefined;
    return { token_use: "access", username: token.accountId };
  },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: true, logoutSource },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => API_RESOURCE,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: SCOPE,
        audience: API_RESOURCE,
        accessTokenTTL: tokenSeconds,
        accessTokenFormat: "jwt",
        jwt: { sign: { alg: "RS256" } },
      }),
    },
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  renderError(ctx, out) {
    ctx.type = "html";
    ctx.body = page("Sign-in error", `<h1>Sign-in error</h1><p role="alert">${escape(out.error_description || out.error)}</p>`);
  },
});

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
label{display:block;font-weight:600;margin-top:1rem}input{font:inherit;width:100%;padding:.5rem;min-height:2.75rem;border:1px solid #4a5360;border-radius:4px}
button{font:inherit;margin-top:1.25rem;min-height:2.75rem;padding:.5rem 1rem;border-radius:4px;border:1px solid #0b4f9c;background:#0b4f9c;color:#fff}
.secondary{background:#fff;color:#0b4f9c}:focus-visible{outline:3px solid #b35c00;outline-offset:2px}</style>
</head><body><main>${body}</main></body></html>`;
}

async function logoutSource(ctx, form) {
  ctx.body = page(
    "Sign out",
    `<h1>Sign out of the local identity provider?</h1>${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button class="secondary" type="submit" form="op.logoutForm">No, stay signed in</button>`,
  );
}

function loginPage(uid, problem) {
  return page(
    "Sign in",
    `<h1>Sign in (local identity provider)</h1>
${problem ? `<p role="alert">${escape(problem)}</p>` : ""}
<form method="post" action="/interaction/${uid}">
<label for="username">Username</label><input id="username" name="username" autocomplete="username" required autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form>`,
  );
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name !== "login") {
    // Consent is implied (loadExistingGrant); nothing else is asked locally.
    return provider.interactionFinished(req, res, {}, { mergeWithLastSubmission: true });
  }
  if (req.method === "POST") {
    const form = await readForm(req);
    const username = (form.get("username") ?? "").trim();
    if (username && form.get("password")) {
      return provider.interactionFinished(req, res, { login: { accountId: username } }, { mergeWithLastSubmission: false });
    }
    res.statusCode = 400;
    res.setHeader("Content-Type", "text/html; charset=utf-8");
    return res.end(loginPage(details.uid, "Enter a username and a password."));
  }
  res.setHeader("Content-Type", "text/html; charset=utf-8");
  res.end(loginPage(details.uid, null));
}

const handle = provider.callback();
const server = createServer((req, res) => {
  if (req.url?.startsWith("/interaction/")) {
    interaction(req, res).catch((error) => {
      res.statusCode = 400;
      res.setHeader("Content-Type", "text/html; charset=utf-8");
      res.end(page("Sign-in error", `<h1>Sign-in error</h1><p role="alert">${escape(error.message)}</p>`));
    });
    return;
  }
  handle(req, res);
});
server.listen(Number(options.port), options.host, () => {
  console.log(`local OpenID provider ready on ${issuer}`);
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
