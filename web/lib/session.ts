/**
 * How the portal holds a sign-in: the user (access and ID tokens) in this page's memory only, never
 * in Web Storage or a cookie, so a script injected into the page cannot read it from storage; the
 * sign-in request's state (PKCE verifier, no token) in sessionStorage, which must survive the
 * redirect to the provider and back. A reload or a new tab signs in again (at the provider, whose
 * own session usually makes that one redirect). The user pool issues a refresh token with every
 * sign-in; the portal never uses one, so it is dropped as soon as the user is loaded.
 */

import { InMemoryWebStorage, WebStorageStateStore, type UserManagerSettings } from "oidc-client-ts";

import type { WebConfig } from "./config.ts";

/** The UserManager's settings for `config`, the page's `origin` and its `sessionStorage`. */
export function sessionSettings(config: WebConfig, origin: string, sessionStorage: Storage): UserManagerSettings {
  return {
    authority: config.issuer,
    client_id: config.clientId,
    redirect_uri: `${origin}/auth/callback`,
    post_logout_redirect_uri: `${origin}/signed-out`,
    response_type: "code",
    scope: "openid",
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    stateStore: new WebStorageStateStore({ store: sessionStorage }),
    automaticSilentRenew: false,
    requestTimeoutInSeconds: 15,
    // Cognito's discovery document has no end_session_endpoint; its /logout takes logout_uri.
    ...(config.logoutUrl ? { metadataSeed: { end_session_endpoint: config.logoutUrl } } : {}),
  };
}

/** `user` without its refresh token (the portal signs in again rather than refreshing). */
export function withoutRefreshToken<T extends { refresh_token?: string }>(user: T): T {
  user.refresh_token = undefined;
  return user;
}
