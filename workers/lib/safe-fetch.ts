// safeFetch: the one door for every tenant-supplied URL Herald fetches (the install check
// now; RSS feeds and outbound webhooks later). It owns the SSRF policy so that no caller
// re-implements it, and turns every outcome into data: a response, or a stable reason
// (contracts/outbound.ts) with a sentence a person understands.
//
//   every hop   https only, no user:password@, no local names (localhost, *.localhost,
//               *.local, *.internal, *.home.arpa, single labels), no IP literal outside
//               public unicast (IANA special-purpose registries: this-network, loopback,
//               RFC 1918, link-local, CGNAT, ULA, multicast, broadcast, documentation,
//               benchmark, reserved; IPv4 inside IPv6 — mapped, compatible, NAT64, 6to4 —
//               is judged by the IPv4 address it carries)
//   host names  resolved over DNS-over-HTTPS (A and AAAA) before the fetch: any private
//               answer refuses, a failed lookup refuses (fail closed); answers cached per
//               isolate for min(TTL, OUTBOUND_DNS_CACHE_MAX_TTL_S)
//   redirects   followed by hand, at most OUTBOUND_MAX_REDIRECTS, each hop re-checked
//   limits      one deadline for DNS, every hop and the body; the body is streamed and
//               abandoned once it passes the byte cap
//   allow-list  origins in OUTBOUND_ALLOW_ORIGINS (local stand-ins, tests) may be http
//               and private, and skip the DNS check; nothing in the API can add one
//
// Limits of the DNS check: it and the real connection resolve separately, so a name that
// re-points in between (DNS rebinding) is stopped only by Cloudflare's production fetch,
// which refuses private targets itself with its 1xxx error pages (mapped below). Locally,
// workerd refuses nothing, so the check is the only guard there.
//
// Runtime errors never reach a person raw. Measured in workerd 1.20260815: an unresolvable
// host and a TLS failure (untrusted certificate, TLS to a plain-http port) both throw
// "internal error; reference = …" (the cause is only in workerd's log); a refused or reset
// connection throws "Network connection lost."; the deadline throws a TimeoutError.
import {
  OUTBOUND_DNS_CACHE_MAX_ENTRIES,
  OUTBOUND_DNS_CACHE_MAX_TTL_S,
  OUTBOUND_DOH_DEFAULT_URL,
  OUTBOUND_MAX_BYTES,
  OUTBOUND_MAX_REDIRECTS,
  OUTBOUND_TIMEOUT_MS,
} from "../config";
import { type OutboundFailureReason, type OutboundMessageParams, outboundMessage } from "../contracts/outbound";
import { isPublicAddress, parseIPv4 } from "./ip-address";

export { isPublicAddress };

export type DnsCache = Map<string, { addresses: string[]; expiresAt: number }>;

export interface SafeFetchOptions {
  fetcher: typeof fetch;
  /** Exact origins that may be http or private (OUTBOUND_ALLOW_ORIGINS, parsed). */
  allowOrigins?: readonly string[];
  /** DNS-over-HTTPS JSON endpoint; "" skips the DNS check. */
  dohUrl?: string;
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  method?: string;
  headers?: HeadersInit;
  body?: string | Uint8Array;
  /** Defaults to the isolate's cache; tests pass their own. */
  dnsCache?: DnsCache;
  now?: () => number;
}

export type SafeFetchResult =
  | {
      ok: true;
      /** The final answer's status (any status: a 404 is an answer, not a failure). */
      status: number;
      headers: Headers;
      finalUrl: string;
      redirects: number;
      /** The body decoded as text (charset from Content-Type, else UTF-8). */
      body: string;
      bytes: Uint8Array;
    }
  | {
      ok: false;
      reason: OutboundFailureReason;
      /** A sentence for a person. */
      message: string;
      /** The address being fetched when it failed (after redirects). */
      url: string;
      /** The raw runtime error, for logs only: never show it to a person. */
      cause?: string;
    };
type Failure = Extract<SafeFetchResult, { ok: false }>;

const isolateDnsCache: DnsCache = new Map();

/** The policy half of the options, from the Worker's vars. */
export function outboundPolicy(env: { OUTBOUND_ALLOW_ORIGINS?: string; OUTBOUND_DOH_URL?: string }) {
  const allowOrigins = (env.OUTBOUND_ALLOW_ORIGINS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => URL.canParse(s))
    .map((s) => new URL(s).origin);
  return { allowOrigins, dohUrl: env.OUTBOUND_DOH_URL ?? OUTBOUND_DOH_DEFAULT_URL };
}

export async function safeFetch(input: string, opts: SafeFetchOptions): Promise<SafeFetchResult> {
  const timeoutMs = opts.timeoutMs ?? OUTBOUND_TIMEOUT_MS;
  const maxRedirects = opts.maxRedirects ?? OUTBOUND_MAX_REDIRECTS;
  const maxBytes = opts.maxBytes ?? OUTBOUND_MAX_BYTES;
  const deadline = AbortSignal.timeout(timeoutMs);
  // Called as a plain function: workerd's fetch throws "Illegal invocation" as a method of opts.
  const fetcher = opts.fetcher;
  const ctx: DnsContext = {
    fetcher,
    dohUrl: opts.dohUrl ?? OUTBOUND_DOH_DEFAULT_URL,
    cache: opts.dnsCache ?? isolateDnsCache,
    now: opts.now ?? Date.now,
    deadline,
  };
  const allow = new Set(opts.allowOrigins ?? []);
  const headers = new Headers(opts.headers);
  let method = opts.method ?? "GET";
  let body = opts.body;
  let url = input;

  for (let hop = 0; ; hop++) {
    let viaRedirect = hop > 0;
    const fail = (reason: OutboundFailureReason, params: OutboundMessageParams = {}, cause?: string): Failure => ({
      ok: false,
      reason,
      message: outboundMessage(reason, { url, ...params }, viaRedirect),
      url,
      ...(cause === undefined ? {} : { cause }),
    });
    const target = checkUrl(url, allow);
    if ("reason" in target) return fail(target.reason, target.params);
    const { parsed, host, literal } = target;
    const checkedDns = !literal && !allow.has(parsed.origin) && ctx.dohUrl !== "";
    if (checkedDns) {
      const refused = await checkDns(host, ctx);
      if (refused) return fail(refused.reason, { host, ...refused.params });
    }

    let res: Response;
    try {
      res = await untilAborted(fetcher(parsed.href, { method, headers, body, redirect: "manual", signal: deadline }), deadline);
    } catch (err) {
      if (deadline.aborted) return fail("timeout", { host, limit: seconds(timeoutMs) });
      return fail(thrownReason(err, { https: parsed.protocol === "https:", resolved: literal || checkedDns }), { host }, String(err));
    }

    const location = res.headers.get("location");
    if ([301, 302, 303, 307, 308].includes(res.status) && location !== null) {
      void res.body?.cancel().catch(() => {});
      if (hop >= maxRedirects) return fail("too_many_redirects", { limit: String(maxRedirects) });
      const next = URL.canParse(location, parsed.href) ? new URL(location, parsed.href) : null;
      url = next?.href ?? location;
      viaRedirect = true;
      if (!next) return fail("invalid_url");
      // Fetch standard §4.4: credentials stay with their origin; 303, and 301/302 after a
      // POST, continue as a GET without the body.
      if (next.origin !== parsed.origin) for (const h of ["authorization", "cookie", "proxy-authorization"]) headers.delete(h);
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === "POST")) {
        method = "GET";
        body = undefined;
        headers.delete("content-type");
      }
      continue;
    }

    const read = await readCapped(res, maxBytes, deadline);
    if (read === "too_large") return fail("too_large", { limit: kilobytes(maxBytes) });
    if (!(read instanceof Uint8Array)) {
      if (deadline.aborted) return fail("timeout", { host, limit: seconds(timeoutMs) });
      return fail(thrownReason(read.error, { https: true, resolved: true }), { host }, String(read.error));
    }
    const text = decode(read, res.headers.get("content-type"));
    const edge = cloudflareRefusal(res.status, text);
    if (edge) return fail(edge.reason, { host, code: edge.code });
    return { ok: true, status: res.status, headers: res.headers, finalUrl: parsed.href, redirects: hop, body: text, bytes: read };
  }
}

// ─── The address ─────────────────────────────────────────────────────────────

type UrlCheck =
  | { parsed: URL; host: string; literal: boolean }
  | { reason: OutboundFailureReason; params?: OutboundMessageParams };

/** Everything that can be decided from the URL alone. */
export function checkUrl(raw: string, allow: ReadonlySet<string> = new Set()): UrlCheck {
  if (!URL.canParse(raw)) return { reason: "invalid_url" };
  const parsed = new URL(raw);
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return { reason: "not_https" };
  if (parsed.username || parsed.password) return { reason: "credentials" };
  // The WHATWG parser has already turned 2130706433, 0x7f.1 and 0177.1 into 127.0.0.1
  // and canonicalised IPv6, so a literal is either dotted-quad or [v6].
  const host = parsed.hostname.replace(/^\[(.*)\]$/, "$1");
  const literal = parseIPv4(host) !== null || host.includes(":");
  if (allow.has(parsed.origin)) return { parsed, host, literal };
  // Where it points first: for http://127.0.0.1 "private" is the answer, not "use https".
  if (literal && !isPublicAddress(host)) return { reason: "private_address", params: { host } };
  const name = host.replace(/\.+$/, "");
  if (!literal && (!name.includes(".") || name === "localhost" || /\.(localhost|local|internal|home\.arpa)$/.test(name))) {
    return { reason: "local_name", params: { host } };
  }
  if (parsed.protocol !== "https:") return { reason: "not_https" };
  return { parsed, host, literal };
}

// ─── DNS over HTTPS ──────────────────────────────────────────────────────────

interface DnsContext {
  fetcher: typeof fetch;
  dohUrl: string;
  cache: DnsCache;
  now: () => number;
  deadline: AbortSignal;
}
interface DohAnswer {
  Status: number;
  Answer?: { type: number; TTL: number; data: string }[];
}
const DNS_A = 1;
const DNS_AAAA = 28;
const DNS_NOERROR = 0;
const DNS_NXDOMAIN = 3;

/** null when every address of `host` is public; else why not. */
async function checkDns(host: string, ctx: DnsContext): Promise<{ reason: OutboundFailureReason; params?: OutboundMessageParams } | null> {
  const cached = ctx.cache.get(host);
  let addresses = cached && cached.expiresAt > ctx.now() ? cached.addresses : null;
  if (!addresses) {
    let answers: DohAnswer[];
    try {
      answers = await Promise.all(["A", "AAAA"].map((type) => dohQuery(host, type, ctx)));
    } catch {
      return { reason: "dns_failed" };
    }
    if (answers.some((a) => a.Status !== DNS_NOERROR && a.Status !== DNS_NXDOMAIN)) return { reason: "dns_failed" };
    const records = answers.flatMap((a) => a.Answer ?? []).filter((r) => r.type === DNS_A || r.type === DNS_AAAA);
    if (records.length === 0) return { reason: "dns_not_found" };
    addresses = records.map((r) => String(r.data));
    const ttlS = Math.min(OUTBOUND_DNS_CACHE_MAX_TTL_S, ...records.map((r) => Number(r.TTL) || 0));
    if (ctx.cache.size >= OUTBOUND_DNS_CACHE_MAX_ENTRIES) ctx.cache.delete(ctx.cache.keys().next().value!);
    ctx.cache.set(host, { addresses, expiresAt: ctx.now() + ttlS * 1000 });
  }
  const bad = addresses.find((a) => !isPublicAddress(a));
  return bad === undefined ? null : { reason: "resolves_private", params: { address: bad } };
}

async function dohQuery(host: string, type: string, ctx: DnsContext): Promise<DohAnswer> {
  const url = new URL(ctx.dohUrl);
  url.searchParams.set("name", host);
  url.searchParams.set("type", type);
  const fetcher = ctx.fetcher;
  const res = await untilAborted(fetcher(url.href, { headers: { accept: "application/dns-json" }, signal: ctx.deadline }), ctx.deadline);
  if (!res.ok) throw new Error(`DoH answered HTTP ${res.status}`);
  const json = (await untilAborted(res.json(), ctx.deadline)) as DohAnswer;
  if (typeof json?.Status !== "number") throw new Error("DoH answer without Status");
  return json;
}

// ─── The answer ──────────────────────────────────────────────────────────────

/** The body, "too_large" once it passes the cap (the stream is cancelled), or the read error. */
async function readCapped(res: Response, maxBytes: number, deadline: AbortSignal): Promise<Uint8Array | "too_large" | { error: unknown }> {
  if (Number(res.headers.get("content-length")) > maxBytes) {
    void res.body?.cancel().catch(() => {});
    return "too_large";
  }
  if (!res.body) return new Uint8Array();
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await untilAborted(reader.read(), deadline);
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        void reader.cancel().catch(() => {});
        return "too_large";
      }
      chunks.push(value);
    }
  } catch (error) {
    void reader.cancel().catch(() => {});
    return { error };
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) out.set(c, (at += c.byteLength) - c.byteLength);
  return out;
}

function decode(bytes: Uint8Array, contentType: string | null): string {
  const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? "")?.[1];
  try {
    return new TextDecoder(charset ?? "utf-8").decode(bytes);
  } catch {
    return new TextDecoder().decode(bytes); // a label the runtime does not know
  }
}

/** Cloudflare's fetch answers some refusals with its own error page instead of throwing:
 *  "error code: 1016" (530) and friends for 1xxx, and 52x statuses for origin trouble. */
function cloudflareRefusal(status: number, text: string): { reason: OutboundFailureReason; code?: string } | null {
  if (status === 521 || status === 522 || status === 523) return { reason: "connect_failed" };
  if (status === 525 || status === 526) return { reason: "tls_failed" };
  if (status !== 403 && status !== 409 && status !== 530) return null;
  const code = /(?:error code:?|errorCode:)\s*(1\d{3})\b/i.exec(text.slice(0, 4096))?.[1];
  if (!code) return null;
  if (code === "1001" || code === "1016" || code === "1018") return { reason: "dns_failed" };
  if (code === "1000" || code === "1034") return { reason: "prohibited_address" };
  if (code === "1003") return { reason: "ip_access_refused" };
  return { reason: "cloudflare_refused", code };
}

/** What a thrown fetch error means, from its message (see the header for what workerd throws). */
function thrownReason(err: unknown, ctx: { https: boolean; resolved: boolean }): OutboundFailureReason {
  const msg = err instanceof Error ? err.message : String(err);
  if (/network connection lost|connection refused|connection reset|ECONNREFUSED|ECONNRESET/i.test(msg)) return "connect_failed";
  if (/\b(tls|ssl|certificate)\b/i.test(msg)) return "tls_failed";
  if (/\bdns\b|getaddrinfo|ENOTFOUND|resolve/i.test(msg)) return "dns_failed";
  // workerd's opaque "internal error": DNS or TLS. If the name resolved, it was TLS.
  if (/internal error/i.test(msg)) return ctx.https && ctx.resolved ? "tls_failed" : "unreachable";
  return "fetch_failed";
}

/** `p`, or the signal's reason once it aborts (for fetchers and streams that ignore signals). */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} second${ms === 1000 ? "" : "s"}` : `${ms} ms`);
const kilobytes = (n: number) => (n % 1024 === 0 ? `${n / 1024} KB` : `${n} bytes`);
