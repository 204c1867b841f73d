"use client";

import { useAuth } from "./AuthProvider.tsx";
import { SESSION_EXPIRED } from "@/lib/api.ts";

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

/** Renders `children` for a signed-in member, the sign-in panel otherwise. */
export function RequireSignIn({ returnTo, children }: { returnTo: string; children: React.ReactNode }) {
  const { state } = useAuth();
  if (state === "loading") return <p role="status">Loading…</p>;
  if (state !== "signed-in") return <SignInPanel returnTo={returnTo} />;
  return <>{children}</>;
}
