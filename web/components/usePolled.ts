"use client";

import { useCallback, useEffect, useRef, useState } from "react";

/**
 * Loads `load()` now and again after `delayFor(result)` ms, until unmounted: the page keeps up with
 * the worker without a manual reload. A failure is kept (in words) and retried at `errorDelay`.
 */
export function usePolled<T>(
  load: () => Promise<T>,
  delayFor: (value: T) => number,
  errorDelay: number,
): { data: T | null; error: string | null; refresh: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const latest = useRef({ load, delayFor });
  latest.current = { load, delayFor };

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let active = true;
    const tick = async () => {
      let delay = errorDelay;
      try {
        const value = await latest.current.load();
        if (!active) return;
        setData(value);
        setError(null);
        delay = latest.current.delayFor(value);
      } catch (reason) {
        if (!active) return;
        setError(reason instanceof Error ? reason.message : String(reason));
      }
      timer = setTimeout(tick, delay);
    };
    void tick();
    return () => {
      active = false;
      clearTimeout(timer);
    };
  }, [generation, errorDelay]);

  const refresh = useCallback(() => setGeneration((value) => value + 1), []);
  return { data, error, refresh };
}
