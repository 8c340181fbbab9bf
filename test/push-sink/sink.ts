// The push sink's server: an in-memory browser push service (RFC 8030 receiving side) that
// verifies VAPID (RFC 8292), decrypts aes128gcm (RFC 8291) and answers per subscription
// mode. See main.ts for the endpoint list. Node 22, node:http + WebCrypto only.
import http from "node:http";
import { decryptPushBody } from "./decrypt.ts";

export type SinkMode =
  | "ok"
  | "gone404"
  | "gone410"
  | "too_large413"
  | "rate_limit_then_ok"
  | "error503_then_ok"
  | "slow"
  | "unauthorized403";
const MODES: readonly SinkMode[] = [
  "ok",
  "gone404",
  "gone410",
  "too_large413",
  "rate_limit_then_ok",
  "error503_then_ok",
  "slow",
  "unauthorized403",
];

export interface PushSinkOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: "127.0.0.1";
  /** Delay of "slow" subscriptions, ms (default 2000; per subscription via delay_ms). */
  slowMs?: number;
  /** ECDH key pairs shared by subscriptions (default 64); auth secrets are per subscription. */
  keyPoolSize?: number;
}

export interface SinkSubscription {
  id: string;
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface ReceivedMessage {
  /** Parsed JSON when the plaintext is JSON, else the text. */
  payload: unknown;
  ttl: string | null;
  urgency: string | null;
  topic: string | null;
  received_at: number;
}

interface Sub {
  id: string;
  mode: SinkMode;
  delayMs: number;
  pool: number;
  auth: Uint8Array;
  /** Optional applicationServerKey the subscription was created with (RFC 8292 §4.2). */
  serverKey?: string;
  requests: number;
  statuses: Record<string, number>;
  messages: ReceivedMessage[];
  tokens: Set<string>;
  duplicates: number;
}

interface PoolKey {
  privateKey: CryptoKey;
  publicKey: Uint8Array;
  p256dh: string;
}

const MAX_BODY_BYTES = 4096; // RFC 8291 §4
const MAX_JWT_AHEAD_S = 24 * 3600; // RFC 8292 §2
const CLOCK_SKEW_S = 60;
const MAX_SUBSCRIPTIONS_PER_CALL = 100_000;
const JWT_CACHE_MAX = 10_000;

const b64u = (b: Uint8Array | ArrayBuffer) => Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b)).toString("base64url");
const fromB64u = (s: string) => new Uint8Array(Buffer.from(s, "base64url"));

class Reject extends Error {
  status: number;
  reason: string;
  constructor(status: number, reason: string, message?: string) {
    super(message ?? reason);
    this.status = status;
    this.reason = reason;
  }
}

export async function startPushSink(opts: PushSinkOptions = {}) {
  const host = opts.host ?? "127.0.0.1";
  const slowMs = opts.slowMs ?? 2000;
  const pool: PoolKey[] = [];
  for (let i = 0; i < (opts.keyPoolSize ?? 64); i++) {
    const pair = (await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"])) as CryptoKeyPair;
    const publicKey = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
    pool.push({ privateKey: pair.privateKey, publicKey, p256dh: b64u(publicKey) });
  }

  const subs = new Map<string, Sub>();
  const jwtCache = new Map<string, { k: string; aud: string; exp: number }>();
  const vapidKeys = new Map<string, Promise<CryptoKey>>();
  let nextId = 0;
  const idPrefix = b64u(crypto.getRandomValues(new Uint8Array(6)));
  let received = 0;
  let rejected: Record<string, number> = {};
  let byStatus: Record<string, number> = {};
  let origin = "";

  function createSubscriptions(count: number, mode: SinkMode, delayMs = slowMs, serverKey?: string): SinkSubscription[] {
    const out: SinkSubscription[] = new Array(count);
    const auth = new Uint8Array(16 * count);
    for (let off = 0; off < auth.length; off += 65536) crypto.getRandomValues(auth.subarray(off, Math.min(auth.length, off + 65536)));
    for (let i = 0; i < count; i++) {
      const id = `${idPrefix}${(nextId++).toString(36)}`;
      const p = nextId % pool.length;
      const a = auth.subarray(i * 16, i * 16 + 16);
      subs.set(id, {
        id, mode, delayMs, pool: p, auth: a, serverKey,
        requests: 0, statuses: {}, messages: [], tokens: new Set(), duplicates: 0,
      });
      out[i] = { id, endpoint: `${origin}/push/${id}`, keys: { p256dh: pool[p]!.p256dh, auth: b64u(a) } };
    }
    return out;
  }

  function importVapidKey(k: string): Promise<CryptoKey> {
    let key = vapidKeys.get(k);
    if (!key) {
      const raw = fromB64u(k);
      if (raw.length !== 65 || raw[0] !== 4) throw new Reject(401, "vapid_bad_key", "k is not a P-256 point");
      key = crypto.subtle.importKey("raw", raw, { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
      key.catch(() => vapidKeys.delete(k));
      vapidKeys.set(k, key);
    }
    return key;
  }

  /** RFC 8292 §3–4: `vapid t=<ES256 JWT>, k=<public key>`. */
  async function verifyVapid(header: string | undefined, hostOrigin: string, sub: Sub): Promise<void> {
    if (!header) throw new Reject(401, "vapid_missing");
    const m = /^vapid\s+t=([^,\s]+)\s*,\s*k=([^,\s]+)\s*$/i.exec(header);
    if (!m) throw new Reject(401, "vapid_malformed", "Authorization is not `vapid t=…, k=…`");
    const [, token, k] = m as unknown as [string, string, string];
    const nowS = Date.now() / 1000;
    let claims = jwtCache.get(token);
    if (!claims || claims.k !== k) {
      const parts = token.split(".");
      if (parts.length !== 3) throw new Reject(401, "vapid_malformed", "JWT is not three segments");
      let head: { alg?: string }, body: { aud?: unknown; exp?: unknown; sub?: unknown };
      try {
        head = JSON.parse(Buffer.from(parts[0]!, "base64url").toString());
        body = JSON.parse(Buffer.from(parts[1]!, "base64url").toString());
      } catch {
        throw new Reject(401, "vapid_malformed", "JWT segments are not JSON");
      }
      if (head.alg !== "ES256") throw new Reject(401, "vapid_malformed", "alg is not ES256");
      if (typeof body.aud !== "string" || typeof body.exp !== "number") throw new Reject(403, "vapid_claims", "aud/exp missing");
      if (typeof body.sub !== "string" || !body.sub) throw new Reject(403, "vapid_claims", "sub missing");
      const sig = fromB64u(parts[2]!);
      const ok = sig.length === 64 &&
        (await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, await importVapidKey(k), sig, new TextEncoder().encode(`${parts[0]}.${parts[1]}`)));
      if (!ok) throw new Reject(403, "vapid_bad_signature");
      claims = { k, aud: body.aud, exp: body.exp };
      if (jwtCache.size >= JWT_CACHE_MAX) jwtCache.clear();
      jwtCache.set(token, claims);
    }
    if (claims.aud !== origin && claims.aud !== hostOrigin) throw new Reject(403, "vapid_aud", `aud ${claims.aud} is not ${origin}`);
    if (claims.exp <= nowS) throw new Reject(403, "vapid_expired");
    if (claims.exp > nowS + MAX_JWT_AHEAD_S + CLOCK_SKEW_S) throw new Reject(403, "vapid_exp_too_far", "exp more than 24 h ahead");
    if (sub.serverKey && sub.serverKey !== k) throw new Reject(403, "vapid_key_mismatch", "k is not the subscription's applicationServerKey");
  }

  function count(status: number, reason?: string) {
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    if (status >= 200 && status < 300) received++;
    else if (reason) rejected[reason] = (rejected[reason] ?? 0) + 1;
  }

  function send(res: http.ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) {
    const text = body === undefined ? "" : JSON.stringify(body);
    res.writeHead(status, { ...headers, ...(text ? { "content-type": "application/json" } : {}), "content-length": Buffer.byteLength(text) });
    res.end(text);
  }

  async function readBody(req: http.IncomingMessage, limit: number): Promise<{ bytes: Uint8Array; over: boolean }> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    }
    return { bytes: new Uint8Array(Buffer.concat(chunks)), over: size > limit };
  }

  async function handlePush(req: http.IncomingMessage, res: http.ServerResponse, id: string) {
    const sub = subs.get(id);
    const { bytes, over } = await readBody(req, MAX_BODY_BYTES);
    if (!sub) throw new Reject(404, "unknown_subscription");
    sub.requests++;
    const status = await (async () => {
      await verifyVapid(req.headers.authorization, `http://${req.headers.host}`, sub);
      if (req.headers.ttl === undefined || !/^\d+$/.test(String(req.headers.ttl))) throw new Reject(400, "ttl_missing", "TTL header required (RFC 8030 §5.2)");
      if (req.headers["content-encoding"] !== "aes128gcm") throw new Reject(400, "bad_content_encoding", "Content-Encoding must be aes128gcm");
      if (over) throw new Reject(413, "too_large", `body over ${MAX_BODY_BYTES} bytes`);
      const pk = pool[sub.pool]!;
      let plain: Uint8Array;
      try {
        plain = await decryptPushBody(bytes, { privateKey: pk.privateKey, publicKey: pk.publicKey, auth: sub.auth });
      } catch (e) {
        throw new Reject(400, "decrypt_failed", String((e as Error).message));
      }
      switch (sub.mode) {
        case "gone404": throw new Reject(404, "gone");
        case "gone410": throw new Reject(410, "gone");
        case "too_large413": throw new Reject(413, "too_large_mode");
        case "unauthorized403": throw new Reject(403, "unauthorized_mode");
        case "rate_limit_then_ok":
          if (sub.requests === 1) throw new Reject(429, "rate_limited");
          break;
        case "error503_then_ok":
          if (sub.requests === 1) throw new Reject(503, "unavailable");
          break;
        case "slow":
          await new Promise((r) => setTimeout(r, sub.delayMs));
          break;
      }
      // Record only what the sender will see as accepted (a client that hung up did not).
      if (res.destroyed || req.socket.destroyed) throw new Reject(499, "client_gone");
      const text = new TextDecoder().decode(plain);
      let payload: unknown = text;
      try {
        payload = JSON.parse(text);
      } catch {}
      const token = payload && typeof payload === "object" ? (payload as { token?: unknown }).token : undefined;
      if (typeof token === "string") {
        if (sub.tokens.has(token)) sub.duplicates++;
        else sub.tokens.add(token);
      }
      sub.messages.push({
        payload,
        ttl: req.headers.ttl as string,
        urgency: (req.headers.urgency as string) ?? null,
        topic: (req.headers.topic as string) ?? null,
        received_at: Date.now(),
      });
      return 201;
    })().catch((e) => {
      if (e instanceof Reject) return e;
      throw e;
    });
    if (status instanceof Reject) {
      sub.statuses[status.status] = (sub.statuses[status.status] ?? 0) + 1;
      throw status;
    }
    sub.statuses[201] = (sub.statuses[201] ?? 0) + 1;
    count(201);
    // RFC 8030 §5: 201 Created with the push message resource in Location.
    send(res, 201, undefined, { location: `${origin}/messages/${id}/${sub.messages.length - 1}` });
  }

  function report(detail: boolean) {
    let duplicates = 0;
    let duplicateMessages = 0;
    for (const s of subs.values()) {
      if (s.duplicates > 0) duplicates++;
      duplicateMessages += s.duplicates;
    }
    const out: Record<string, unknown> = {
      received,
      rejected,
      by_status: byStatus,
      duplicates,
      duplicate_messages: duplicateMessages,
      subscriptions: subs.size,
    };
    if (detail) {
      out.per_subscription = Object.fromEntries(
        [...subs.values()].map((s) => [s.id, { mode: s.mode, requests: s.requests, received: s.messages.length, statuses: s.statuses, duplicates: s.duplicates }]),
      );
    }
    return out;
  }

  function reset() {
    subs.clear();
    jwtCache.clear();
    received = 0;
    rejected = {};
    byStatus = {};
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", origin);
    const path = url.pathname;
    try {
      if (req.method === "POST" && path.startsWith("/push/")) return await handlePush(req, res, decodeURIComponent(path.slice(6)));
      if (req.method === "POST" && path === "/subscriptions") {
        const { bytes } = await readBody(req, 1 << 20);
        let body: { mode?: SinkMode; count?: number; delay_ms?: number; applicationServerKey?: string } = {};
        try {
          if (bytes.length) body = JSON.parse(new TextDecoder().decode(bytes));
        } catch {
          return send(res, 400, { error: "body is not JSON" });
        }
        const mode = body.mode ?? "ok";
        const n = body.count ?? 1;
        if (!MODES.includes(mode)) return send(res, 400, { error: `mode must be one of ${MODES.join(", ")}` });
        if (!Number.isInteger(n) || n < 1 || n > MAX_SUBSCRIPTIONS_PER_CALL) return send(res, 400, { error: `count must be 1..${MAX_SUBSCRIPTIONS_PER_CALL}` });
        return send(res, 201, createSubscriptions(n, mode, body.delay_ms ?? slowMs, body.applicationServerKey));
      }
      if (req.method === "GET" && path === "/report") return send(res, 200, report(url.searchParams.get("detail") === "1"));
      if (req.method === "GET" && path.startsWith("/messages/")) {
        const s = subs.get(decodeURIComponent(path.slice(10)));
        if (!s) return send(res, 404, { error: "unknown subscription" });
        return send(res, 200, { id: s.id, mode: s.mode, messages: s.messages });
      }
      if (req.method === "POST" && path === "/reset") {
        reset();
        return send(res, 200, { ok: true });
      }
      return send(res, 404, { error: "not found" });
    } catch (e) {
      if (e instanceof Reject) {
        count(e.status, e.reason);
        if (res.destroyed) return;
        const headers: Record<string, string> = e.status === 429 ? { "retry-after": "1" } : {};
        return send(res, e.status, { reason: e.reason, message: e.message }, headers);
      }
      console.error("push-sink:", e);
      if (!res.headersSent) send(res, 500, { error: String(e) });
    }
  });
  server.keepAliveTimeout = 65_000;
  server.maxRequestsPerSocket = 0;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  origin = `http://${host}:${port}`;

  return {
    origin,
    port,
    createSubscriptions: (count = 1, mode: SinkMode = "ok") => createSubscriptions(count, mode),
    report,
    messages: (id: string) => subs.get(id)?.messages ?? [],
    reset,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type PushSink = Awaited<ReturnType<typeof startPushSink>>;
