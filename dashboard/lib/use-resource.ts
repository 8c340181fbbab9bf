// Loads something for a page and tracks loading / error / data, re-running when deps change.
// Stale responses (deps changed mid-flight) are dropped.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "../api";

export interface Resource<T> {
  data: T | undefined;
  error: ApiError | null;
  loading: boolean;
  reload: () => Promise<void>;
  set: (data: T) => void;
}

export function toApiError(err: unknown): ApiError {
  return err instanceof ApiError ? err : new ApiError(0, "client", err instanceof Error ? err.message : String(err));
}

export function useResource<T>(load: () => Promise<T>, deps: unknown[]): Resource<T> {
  const [state, setState] = useState<{ data?: T; error: ApiError | null; loading: boolean }>({ error: null, loading: true });
  const generation = useRef(0);
  const run = useCallback(async () => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true, error: null }));
    try {
      const data = await load();
      if (mine === generation.current) setState({ data, error: null, loading: false });
    } catch (err) {
      const error = toApiError(err);
      // Cut off by signing out: the page is going away, nothing to report.
      if (error.code === "aborted") return;
      if (mine === generation.current) setState((s) => ({ ...s, error, loading: false }));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEffect(() => {
    run();
  }, [run]);
  return { ...state, data: state.data, reload: run, set: (data: T) => setState({ data, error: null, loading: false }) };
}
