// The local provider server: one node:http origin that answers for every outside provider's
// real API (SendGrid, Resend, Twilio, FCM — their paths do not collide), so Herald pointed at
// it through PROVIDER_ORIGIN_OVERRIDES talks to it exactly as it would to the real services.
// Each provider is a StandIn module (types.ts); this file routes requests to them, keeps what
// they recorded, and serves the control API tests and npm start use:
//
//   GET  /_standin/records[?provider=sendgrid]  → 200 [StandInRecord…] (oldest first)
//   POST /_standin/reset                        → 200 {"ok":true}: forgets records, per-address
//                                                  counters and every stand-in's own state
//   /_standin/<provider>/…                      a stand-in's own control endpoints (see its header)
//
// ctx.seen(key) counts per key: it returns how many times the key was seen BEFORE this call
// and counts this one, so `seen(k) === 0` is "the first time" (fail once, then succeed).
// Node 22, node:http only; run it with main.ts or import startProviderStandIns.
import http from "node:http";
import { resend } from "./resend.ts";
import { twilio } from "./twilio.ts";
import { fcm } from "./fcm.ts";
import { sendgrid } from "./sendgrid.ts";
import type { StandIn, StandInContext, StandInRecord } from "./types.ts";

/** Every stand-in the server routes to, asked in order; one line per provider. */
export const STAND_INS: StandIn[] = [sendgrid, resend, twilio, fcm];

/** Request bodies above this are refused (413) before a stand-in sees them: the providers'
 *  own limits are far below (SendGrid 30 MB with attachments; we send none). */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Records kept in memory; the oldest go first (a benchmark may send 100,000 messages). */
const MAX_RECORDS = 200_000;

export interface ProviderStandInOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Defaults to STAND_INS. */
  standIns?: StandIn[];
  /** For the stand-ins' status callbacks; defaults to the global fetch. */
  fetch?: typeof fetch;
}

export interface ProviderStandIns {
  origin: string;
  port: number;
  /** What the stand-ins received, oldest first; one provider's only when named. */
  records(provider?: string): StandInRecord[];
  reset(): void;
  close(): Promise<void>;
}

function readBody(req: http.IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        resolve(null);
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

export async function startProviderStandIns(options: ProviderStandInOptions = {}): Promise<ProviderStandIns> {
  const host = options.host ?? "127.0.0.1";
  const standIns = options.standIns ?? STAND_INS;
  let records: StandInRecord[] = [];
  const counters = new Map<string, number>();
  let origin = "";

  const contextFor = (provider: string): StandInContext => ({
    record: (entry) => {
      records.push({ provider, receivedAt: Date.now(), ...entry });
      if (records.length > MAX_RECORDS) records = records.slice(-MAX_RECORDS);
    },
    seen: (key) => {
      const n = counters.get(key) ?? 0;
      counters.set(key, n + 1);
      return n;
    },
    get origin() {
      return origin;
    },
    fetch: options.fetch ?? globalThis.fetch,
  });
  const contexts = new Map(standIns.map((s) => [s.name, contextFor(s.name)]));

  const reset = () => {
    records = [];
    counters.clear();
    for (const s of standIns) s.reset?.();
  };

  async function answer(req: Request, url: URL): Promise<Response> {
    if (url.pathname === "/_standin/records" && req.method === "GET") {
      const provider = url.searchParams.get("provider");
      return json(200, provider ? records.filter((r) => r.provider === provider) : records);
    }
    if (url.pathname === "/_standin/reset" && req.method === "POST") {
      reset();
      return json(200, { ok: true });
    }
    for (const s of standIns) {
      const res = await s.handle(req, url, contexts.get(s.name)!);
      if (res) return res;
    }
    return json(404, { error: `No stand-in answers ${req.method} ${url.pathname}.` });
  }

  const server = http.createServer(async (req, res) => {
    try {
      const body = req.method === "GET" || req.method === "HEAD" ? Buffer.alloc(0) : await readBody(req);
      let response: Response;
      if (body === null) {
        response = json(413, { error: `Request bodies are limited to ${MAX_BODY_BYTES} bytes here.` });
      } else {
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) {
          if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
        }
        const url = new URL(req.url ?? "/", origin);
        const request = new Request(url, { method: req.method, headers, body: body.length ? body : undefined });
        response = await answer(request, url);
      }
      const out = Buffer.from(await response.arrayBuffer());
      const headers: Record<string, string> = {};
      response.headers.forEach((v, k) => (headers[k] = v));
      // A client that hung up (a slow answer past its deadline) has nothing left to write to.
      if (!res.destroyed) res.writeHead(response.status, headers).end(out);
    } catch (err) {
      console.error("provider stand-in error", err);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: "stand-in error" }));
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as { port: number };
  origin = `http://${host}:${port}`;

  return {
    origin,
    port,
    records: (provider) => (provider ? records.filter((r) => r.provider === provider) : [...records]),
    reset,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The real API origins the stand-ins answer for; one line per provider origin. */
export const STANDIN_REAL_ORIGINS = [
  "https://api.sendgrid.com",
  "https://api.resend.com",
  "https://api.twilio.com",
  "https://oauth2.googleapis.com", // FCM's OAuth token endpoint
  "https://fcm.googleapis.com",
];

/** PROVIDER_ORIGIN_OVERRIDES pointing every real origin at the stand-ins' `origin`. */
export const providerOriginOverrides = (origin: string) => STANDIN_REAL_ORIGINS.map((real) => `${real}=${origin}`).join(",");
