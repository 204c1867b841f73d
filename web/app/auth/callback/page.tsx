"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";

import { Alert } from "@/components/Alert.tsx";
import { useAuth } from "@/components/AuthProvider.tsx";

/** Where the user pool sends the browser back with the authorization code. */
export default function SignInCallback() {
  const { manager } = useAuth();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const handled = useRef(false);

  useEffect(() => {
    if (!manager || handled.current) return;
    handled.current = true;
    manager
      .signinRedirectCallback()
      .then((user) => {
        const returnTo = (user.state as { returnTo?: string } | undefined)?.returnTo ?? "/documents";
        router.replace(returnTo.startsWith("/") ? returnTo : "/documents");
      })
      .catch((reason: unknown) => {
        const detail = reason instanceof Error ? reason.message : String(reason);
        setError(`Sign-in was not completed: ${detail}.`);
      });
  }, [manager, router]);

  return (
    <section className="panel">
      <h1>Signing in</h1>
      {error ? (
        <Alert message={error}>
          <p>
            <Link href="/">Try signing in again</Link>
          </p>
        </Alert>
      ) : (
        <p role="status">Completing sign-in…</p>
      )}
    </section>
  );
}
