"use client";

import { useCallback, useEffect, useState } from "react";

import { useAuth } from "@/components/AuthProvider.tsx";
import { errorWords, replaceById } from "@/lib/api.ts";

/**
 * A list an admin page loads from `path` and changes item by item: the items (null until the
 * first answer), the last error and the last change done, both in words for the page's status.
 * `change(request, done)` calls the API, puts its answer in place of the item with its id and
 * says `done(answer)`; a failure is said after `failurePrefix` (which item it was about).
 */
export function useApiList<T extends { id: number }>(path: string) {
  const { api } = useAuth();
  const [items, setItems] = useState<T[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState("");

  const reload = useCallback(async () => {
    try {
      setItems(await api<T[]>(path));
      setError(null);
    } catch (reason) {
      setError(errorWords(reason));
    }
  }, [api, path]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const change = useCallback(
    async (request: () => Promise<T>, done: (updated: T) => string, failurePrefix: string) => {
      setDone("");
      setError(null);
      try {
        const updated = await request();
        setItems((list) => (list ? replaceById(list, updated) : null));
        setDone(done(updated));
      } catch (reason) {
        setError(`${failurePrefix}: ${errorWords(reason)}`);
      }
    },
    [],
  );

  return { items, error, done, setDone, reload, change };
}
