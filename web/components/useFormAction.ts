"use client";

import { useRef, useState } from "react";

import { errorWords } from "@/lib/api.ts";

/**
 * A form that sends one request: `action(form)` returns the words for invalid input (nothing is
 * sent), or sends it. While it runs the form is busy; a failure is kept in words; on success the
 * form is cleared.
 */
export function useFormAction(action: (form: FormData) => string | Promise<void>) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setError(null);
    setBusy(true);
    try {
      const invalid = action(form);
      if (typeof invalid === "string") return setError(invalid);
      await invalid;
      formRef.current?.reset();
    } catch (reason) {
      setError(errorWords(reason));
    } finally {
      setBusy(false);
    }
  }

  return { error, busy, formRef, onSubmit };
}
