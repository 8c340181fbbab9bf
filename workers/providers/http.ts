// The one HTTP call every provider makes: through ctx.fetch (safe-fetch, the outbound policy),
// with whatever went wrong before an answer turned into data, so the providers' pure
// classifiers (…/outcome.ts) decide what a timeout or a refused connection means.

/** What one provider call came to: its answer, or why there was none. */
export type ProviderHttpResult =
  | { status: number; headers: Headers; body: string }
  | { error: "timeout" | "network_error"; message: string };

/** Makes the call; a thrown fetch (deadline, refused connection, SSRF refusal) becomes data. */
export async function callProvider(fetcher: typeof fetch, url: string, init: RequestInit): Promise<ProviderHttpResult> {
  try {
    const res = await fetcher(url, init);
    return { status: res.status, headers: res.headers, body: await res.text() };
  } catch (err) {
    const name = (err as { name?: string } | null)?.name;
    const timedOut = name === "TimeoutError" || name === "AbortError";
    // The message is the runtime's (never the request): safe for logs, not shown as is.
    return { error: timedOut ? "timeout" : "network_error", message: err instanceof Error ? err.message : String(err) };
  }
}
