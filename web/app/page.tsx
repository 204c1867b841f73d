"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

import { useAuth } from "@/components/AuthProvider.tsx";
import { SignInPanel } from "@/components/SignInPanel.tsx";

export default function Home() {
  const { state } = useAuth();
  const router = useRouter();
  useEffect(() => {
    if (state === "signed-in") router.replace("/documents");
  }, [state, router]);
  if (state === "loading" || state === "signed-in") return <p role="status">Loading…</p>;
  return <SignInPanel returnTo="/documents" />;
}
