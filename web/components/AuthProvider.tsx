"use client";

/**
 * Sign-in through the user pool with oidc-client-ts: authorization code with PKCE from the browser
 * (a public client, no secret). The tokens live in this page's memory only (lib/session.ts); when
 * the access token expires, or the API refuses it, the person is told and asked to sign in again.
 * Once signed in, `GET /api/v1/me/` says who they are and with what role.
 */

import { UserManager, type User } from "oidc-client-ts";
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";

import { ApiError, apiRequest, type ApiRequest } from "@/lib/api.ts";
import type { WebConfig } from "@/lib/config.ts";
import { ME_PATH, type Me } from "@/lib/me.ts";
import { sessionSettings, withoutRefreshToken } from "@/lib/session.ts";
import { accessTokenClaims } from "@/lib/token.ts";

export type SessionState = "loading" | "signed-out" | "expired" | "signed-in";

type Auth = {
  state: SessionState;
  username: string;
  /** The signed-in member as the API knows them (null until it has answered). */
  me: Me | null;
  /** Why `me` could not be read, in words. */
  meError: string | null;
  manager: UserManager | null;
  signIn: (returnTo?: string) => Promise<void>;
  signOut: () => Promise<void>;
  /** Call the API as the member; a 401 ends the session and says so. */
  api: <T>(path: string, request?: Omit<ApiRequest, "token">) => Promise<T>;
};

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ config, children }: { config: WebConfig; children: React.ReactNode }) {
  const [manager, setManager] = useState<UserManager | null>(null);
  const [user, setUser] = useState<User | null>(null);
  const [state, setState] = useState<SessionState>("loading");
  const [me, setMe] = useState<Me | null>(null);
  const [meError, setMeError] = useState<string | null>(null);

  useEffect(() => {
    const created = new UserManager(sessionSettings(config, window.location.origin, window.sessionStorage));
    setManager(created);
    const expire = () => {
      setUser(null);
      setState("expired");
      void created.removeUser();
    };
    const loaded = (signedIn: User) => {
      void created.storeUser(withoutRefreshToken(signedIn));
      setUser(signedIn);
      setState("signed-in");
    };
    created.events.addAccessTokenExpired(expire);
    created.events.addUserLoaded(loaded);
    void created.getUser().then((stored) => {
      // Memory only: a user is here when this page signed in, not after a reload.
      if (stored && !stored.expired) loaded(stored);
      else if (stored) expire();
      else setState("signed-out");
    });
    return () => {
      created.events.removeAccessTokenExpired(expire);
      created.events.removeUserLoaded(loaded);
    };
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

  useEffect(() => {
    setMe(null);
    setMeError(null);
    if (!token) return;
    let current = true;
    api<Me>(ME_PATH).then(
      (answer) => current && setMe(answer),
      (reason: unknown) => current && setMeError(reason instanceof Error ? reason.message : String(reason)),
    );
    return () => {
      current = false;
    };
  }, [token, api]);

  const value = useMemo<Auth>(
    () => ({
      state,
      username: token ? accessTokenClaims(token).username : "",
      me,
      meError,
      manager,
      signIn,
      signOut,
      api,
    }),
    [state, token, me, meError, manager, signIn, signOut, api],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error("useAuth outside AuthProvider");
  return auth;
}
