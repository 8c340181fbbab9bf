// What a provider gets for its calls (providers/types.ts ProviderContext): the origin of its
// real API — or the local stand-in PROVIDER_ORIGIN_OVERRIDES names, for local use only — and
// a fetch that goes through lib/safe-fetch.ts, so provider calls obey the same outbound policy
// (https, public addresses, time and size limits) as every other outside URL.
import { OUTBOUND_TIMEOUT_MS } from "../../config";
import { outboundPolicy, safeFetch } from "../../lib/safe-fetch";
import type { ProviderContext } from "../../providers/types";
import type { Deps } from "../deps";

/** Parses "https://api.sendgrid.com=http://127.0.0.1:8791,…" into real origin → local origin.
 *  Malformed pairs are skipped: the real API is called, never a half-parsed address. */
export function parseOriginOverrides(spec: string | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const pair of (spec ?? "").split(",")) {
    const [real, local] = pair.split("=").map((s) => s.trim());
    if (!real || !local || !URL.canParse(real) || !URL.canParse(local)) continue;
    map.set(new URL(real).origin, new URL(local).origin);
  }
  return map;
}

const overrideCache = new Map<string, Map<string, string>>();

/** ctx.origin: the real origin, or its local stand-in when the Worker var names one. */
export function originResolver(spec: string | undefined): (real: string) => string {
  const key = spec ?? "";
  let map = overrideCache.get(key);
  if (!map) overrideCache.set(key, (map = parseOriginOverrides(key)));
  const overrides = map;
  return (real) => overrides.get(URL.canParse(real) ? new URL(real).origin : real) ?? real;
}

/** A safe-fetch failure, thrown as a fetch error would be: providers classify a thrown error as
 *  retryable (network_error, or timeout when `name` is "TimeoutError"). The message is
 *  safe-fetch's sentence (no headers, so no credentials). */
export class ProviderFetchError extends Error {
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
    this.name = reason === "timeout" ? "TimeoutError" : "ProviderFetchError";
  }
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** `fetch` for providers: every call through safeFetch with the Worker's outbound policy. */
export function providerFetch(deps: Pick<Deps, "env" | "fetch">, timeoutMs = OUTBOUND_TIMEOUT_MS): typeof fetch {
  const policy = outboundPolicy(deps.env);
  const fetcher = deps.fetch;
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    const body = req.body ? new Uint8Array(await req.arrayBuffer()) : undefined;
    const res = await safeFetch(req.url, { fetcher, ...policy, timeoutMs, method: req.method, headers: req.headers, body, maxRedirects: 0 });
    if (!res.ok) throw new ProviderFetchError(res.message, res.reason);
    return new Response(NULL_BODY_STATUSES.has(res.status) ? null : res.bytes, { status: res.status, headers: res.headers });
  }) as typeof fetch;
}

/** Where a provider posts status callbacks for this integration. Sends run in the queue, so the
 *  base is PUBLIC_URL (a test send may pass its request's origin); "" means none can be given. */
export function callbackUrlFor(provider: string, integrationId: string, base: string | undefined): string {
  const origin = (base ?? "").replace(/\/+$/, "");
  return origin ? `${origin}/api/callbacks/${provider}/${integrationId}` : "";
}

export function providerContext<C, S>(
  deps: Deps,
  row: { siteId: string; id: string; provider: string },
  credentials: C,
  settings: S,
  requestOrigin?: string,
): ProviderContext<C, S> {
  return {
    siteId: row.siteId,
    integrationId: row.id,
    credentials,
    settings,
    origin: originResolver(deps.env.PROVIDER_ORIGIN_OVERRIDES),
    fetch: providerFetch(deps),
    now: deps.now,
    callbackUrl: callbackUrlFor(row.provider, row.id, deps.env.PUBLIC_URL || requestOrigin),
  };
}
