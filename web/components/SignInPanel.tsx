"use client";

import { Alert } from "./Alert.tsx";
import { useAuth } from "./AuthProvider.tsx";
import { SESSION_EXPIRED } from "@/lib/api.ts";
import { mayUse, type Me } from "@/lib/me.ts";

/** Shown in place of a page when nobody is signed in (or the session has expired). */
export function SignInPanel({ returnTo }: { returnTo: string }) {
  const { state, signIn, manager } = useAuth();
  return (
    <section className="panel" aria-labelledby="sign-in-heading">
      <h1 id="sign-in-heading">Sign in to PCS Platform</h1>
      {state === "expired" ? (
        <div className="alert" role="alert">
          <p>{SESSION_EXPIRED}</p>
        </div>
      ) : (
        <p>Sign in with your organization account to see your documents.</p>
      )}
      <button type="button" className="primary" disabled={!manager} onClick={() => void signIn(returnTo)}>
        Sign in
      </button>
    </section>
  );
}

/**
 * Renders `children` for a signed-in member once the API has said who they are (the page's own
 * calls follow that first one), the sign-in panel otherwise.
 */
export function RequireSignIn({ returnTo, children }: { returnTo: string; children: React.ReactNode }) {
  const { state, me, meError } = useAuth();
  if (state === "loading") return <p role="status">Loading…</p>;
  if (state !== "signed-in") return <SignInPanel returnTo={returnTo} />;
  if (meError) return <Alert message={`Your account could not be read: ${meError}`} />;
  if (!me) return <p role="status">Loading…</p>;
  return <>{children}</>;
}

const ROLE_WORDS: Record<Me["role"], string> = { admin: "an admin", member: "a member", auditor: "an auditor" };

/**
 * Renders `children` for a signed-in member whose role may use the page at `href`; otherwise says
 * who may, without calling the API the page would call.
 */
export function RequirePage({ href, who, children }: { href: string; who: string; children: React.ReactNode }) {
  return (
    <RequireSignIn returnTo={href}>
      <RoleCheck href={href} who={who}>
        {children}
      </RoleCheck>
    </RequireSignIn>
  );
}

function RoleCheck({ href, who, children }: { href: string; who: string; children: React.ReactNode }) {
  const { me } = useAuth();
  if (!me) return null; // RequireSignIn renders this only once `me` is known
  if (mayUse(me.role, href)) return <>{children}</>;
  return (
    <section className="panel" aria-labelledby="refused-heading">
      <h1 id="refused-heading">Not available to your role</h1>
      <Alert message={`This page is for ${who}. You are signed in as ${ROLE_WORDS[me.role]}.`} />
    </section>
  );
}
