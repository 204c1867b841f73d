"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

import { useAuth } from "./AuthProvider.tsx";
import { pagesFor } from "@/lib/me.ts";

/** Skip link, header with navigation and the member's name, and the page's main landmark. */
export function AppShell({ children }: { children: React.ReactNode }) {
  const { state, username, me, signOut } = useAuth();
  const pathname = usePathname();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <p className="brand">
          <Link href="/">PCS Platform</Link>
        </p>
        {state === "signed-in" && me && (
          <nav aria-label="Main">
            <ul>
              {pagesFor(me.role).map((item) => (
                <li key={item.href}>
                  <Link href={item.href} aria-current={pathname.startsWith(item.href) ? "page" : undefined}>
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        )}
        {state === "signed-in" && (
          <div className="account">
            <span>
              Signed in as <strong>{me?.username ?? username}</strong>
              {me && ` (${me.role}, ${me.organization.name})`}
            </span>
            <button type="button" onClick={() => void signOut()}>
              Sign out
            </button>
          </div>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
