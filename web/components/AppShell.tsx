"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

import { useAuth } from "./AuthProvider.tsx";

const NAV = [
  { href: "/documents", label: "Documents" },
  { href: "/audit", label: "Audit trail" },
];

/** Skip link, header with navigation and the member's name, and the page's main landmark. */
export function AppShell({ children }: { children: React.ReactNode }) {
  const { state, username, signOut } = useAuth();
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
        {state === "signed-in" && (
          <nav aria-label="Main">
            <ul>
              {NAV.map((item) => (
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
              Signed in as <strong>{username}</strong>
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
