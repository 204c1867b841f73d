"use client";

/**
 * Sign-in through the user pool with oidc-client-ts: authorization code with PKCE from the browser
 * (a public client, no secret). The session lives in sessionStorage and ends with the tab; when
 * the access token expires, or the API refuses it, the person is told and asked to sign in again.
 */

import { UserManager, WebStorageStateStore, type User } from "oidc-client-ts";
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";

import { ApiError, apiRequest, type ApiRequest } from "@/lib/api.ts";
import type { WebConfig } from "@/lib/config.ts";
import { accessTokenClaims } from "@/lib/token.ts";

export type SessionState = "loading" | "signed-out" | "expired" | "signed-in";

type Auth = {
  state: SessionState;
  username: string;
  manager: UserManager | null;
  signIn: (returnTo?: string) => Promise<void>;
  signOut: () => Promise<void>;
  /** Call the API as the member; a 401 ends the session and says so. */
  api: <T>(path: string, request?: Omit<ApiRequest, "token">) => Promise<T>;
};

const AuthContext = createContext<Auth | null>(null);

function userManager(config: WebConfig): UserManager {
  const origin = window.location.origin;
  return new UserManager({
    authority: config.issuer,
    client_id: config.clientId,
    redirect_uri: `${origin}/auth/callback`,
    post_logout_redirect_uri: `${origin}/signed-out`,
    response_type: "code",
    scope: "openid",
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    automaticSilentRenew: false,
    requestTimeoutInSeconds: 15,
    // Cognito's discovery document has no end_session_endpoint; its /logout takes logout_uri.
    ...(config.logoutUrl ? { metadataSeed: { end_session_endpoint: config.logoutUrl } } : {}),
  });
}

export function AuthProvider({ config, children }: { config: WebConfig; children: React.ReactNode }) {
  const [manager, setManager] = useState<UserManager | null>(null);
  const [user, setUser] = useState<User | null>(null);
  const [state, setState] = useState<SessionState>("loading");

  useEffect(() => {
    const created = userManager(config);
    setManager(created);
    const expire = () => {
      setUser(null);
      setState("expired");
      void created.removeUser();
    };
    created.events.addAccessTokenExpired(expire);
    created.events.addUserLoaded((loaded) => {
      setUser(loaded);
      setState("signed-in");
    });
    void created.getUser().then((stored) => {
      if (stored && !stored.expired) {
        setUser(stored);
        setState("signed-in");
      } else if (stored) {
        expire();
      } else {
        setState("signed-out");
      }
    });
    return () => created.events.removeAccessTokenExpired(expire);
  }, [config]);

  const signIn = useCallback(
    async (returnTo = "/documents") => {
      await manager?.signinRedirect({ state: { returnTo } });
    },
    [manager],
  );

  const signOut = useCallback(async () => {
    if (!manager) return;
    const idToken = user?.id_token;
    await manager.removeUser();
    setUser(null);
    setState("signed-out");
    const returnTo = `${window.location.origin}/signed-out`;
    await manager.signoutRedirect({
      id_token_hint: idToken,
      extraQueryParams: config.logoutUrl ? { client_id: config.clientId, logout_uri: returnTo } : {},
    });
  }, [manager, user, config]);

  const token = user?.access_token ?? "";
  const api = useCallback(
    async <T,>(path: string, request: Omit<ApiRequest, "token"> = {}): Promise<T> => {
      try {
        return await apiRequest<T>(path, { ...request, token });
      } catch (error) {
        if (error instanceof ApiError && error.sessionExpired) {
          setUser(null);
          setState("expired");
          void manager?.removeUser();
        }
        throw error;
      }
    },
    [token, manager],
  );

  const value = useMemo<Auth>(
    () => ({
      state,
      username: token ? accessTokenClaims(token).username : "",
      manager,
      signIn,
      signOut,
      api,
    }),
    [state, token, manager, signIn, signOut, api],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error("useAuth outside AuthProvider");
  return auth;
}
