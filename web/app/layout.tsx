import type { Metadata, Viewport } from "next";
import { connection } from "next/server";

import { AppShell } from "@/components/AppShell.tsx";
import { AuthProvider } from "@/components/AuthProvider.tsx";
import { readWebConfig } from "@/lib/config.ts";

import "./globals.css";

export const metadata: Metadata = {
  title: { default: "PCS Platform", template: "%s · PCS Platform" },
  description: "Your organization's compliance documents and audit trail.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Settings come from the task's environment at request time, not from the build.
  await connection();
  const config = readWebConfig(process.env);
  return (
    <html lang="en">
      <body>
        <AuthProvider config={config}>
          <AppShell>{children}</AppShell>
        </AuthProvider>
      </body>
    </html>
  );
}
