// The state of a form submission: busy while the action runs, the API error if it failed.
// The action navigates away on success, so busy stays on until the page changes.
import { useState } from "preact/hooks";
import type { ApiError } from "../api";
import { toApiError } from "./use-resource";

export function useSubmit(action: () => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(toApiError(err));
      setBusy(false);
    }
  };
  return { busy, error, submit };
}
