// Starts the real local edge for end-to-end tests (scripts/lib/edge.ts): builds the SDK
// bundle, applies the D1 migrations into a fresh temporary state directory, runs
// `wrangler dev` on free ports with per-run secrets (no .dev.vars needed).
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { ROOT, applyMigrations, startEdge as startLocalEdge, type Edge as LocalEdge } from "../../scripts/lib/edge.ts";
import { providerOriginOverrides } from "../../scripts/local/providers/server.ts";

/** The provider stand-ins (SendGrid, Resend, Twilio, FCM) on one origin: start them beside the
 *  push sink and pass them to startEdge({ providers }) so the edge's provider calls reach them. */
export { startProviderStandIns, type ProviderStandIns } from "../../scripts/local/providers/server.ts";

export type Edge = LocalEdge;

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface TestEdge extends Edge {
  /** The D1/DO/queue state directory, kept across crash() and restart(). */
  state: string;
  /** SIGKILLs the whole process group (wrangler, workerd, esbuild): a crash, no clean shutdown. */
  crash(): Promise<void>;
  /** Starts a new edge on the same state and secrets (on a new port: read `origin` again). */
  restart(): Promise<TestEdge>;
  /** Fires a cron trigger as if the platform's clock read `atMs`. */
  fireCronAt(cron: string, atMs: number): Promise<void>;
}

/** `allowOrigins`: more local origins the edge may fetch over http (a webhook receiver). */
export async function startEdge(options: { extraPushOrigins?: string[]; providers?: { origin: string }; allowOrigins?: string[] } = {}): Promise<TestEdge> {
  // The Worker imports workers/generated/sdk-bundle.ts, and [assets] needs its directory.
  await promisify(execFile)(process.execPath, ["scripts/build-sdk.ts"], { cwd: ROOT });
  await mkdir(path.join(ROOT, "dist/dashboard"), { recursive: true });

  const state = await mkdtemp(path.join(tmpdir(), "herald-e2e-"));
  await applyMigrations(state);
  const secret = () => randomBytes(32).toString("base64");
  const vars = {
    EXTRA_PUSH_ORIGINS: (options.extraPushOrigins ?? []).join(","),
    OUTBOUND_ALLOW_ORIGINS: [...(options.providers ? [options.providers.origin] : []), ...(options.allowOrigins ?? [])].join(","),
    ...(options.providers ? { PROVIDER_ORIGIN_OVERRIDES: providerOriginOverrides(options.providers.origin) } : {}),
    MASTER_KEYS: `1:${secret()}`,
    JWT_SECRET: secret(),
    METRICS_TOKEN: randomBytes(16).toString("hex"),
    ADMIN_TOKEN: randomBytes(16).toString("hex"),
  };
  return launch(state, vars).catch(async (err) => {
    await rm(state, { recursive: true, force: true });
    throw err;
  });
}

async function launch(state: string, vars: Record<string, string>): Promise<TestEdge> {
  const port = await freePort();
  // Status callback URLs (Twilio's StatusCallback) are built from PUBLIC_URL: this edge's origin.
  const edge = await startLocalEdge({ port, inspectorPort: await freePort(), persistDir: state, vars: { PUBLIC_URL: `http://127.0.0.1:${port}`, ...vars } });
  return {
    ...edge,
    state,
    async stop() {
      await edge.stop();
      await rm(state, { recursive: true, force: true });
    },
    async crash() {
      try {
        process.kill(-edge.process.pid!, "SIGKILL");
      } catch {
        /* already gone */
      }
      await new Promise<void>((resolve) => (edge.process.exitCode !== null || edge.process.signalCode !== null ? resolve() : edge.process.once("exit", () => resolve())));
    },
    restart: () => launch(state, vars),
    async fireCronAt(cron, atMs) {
      const res = await fetch(`${edge.origin}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent(cron)}&time=${atMs}`);
      if (!res.ok) throw new Error(`cron ${cron} at ${atMs}: ${res.status} ${await res.text()}`);
    },
  };
}

export type Api = <T = unknown>(method: string, route: string, body?: unknown, headers?: Record<string, string>) => Promise<T>;

/** JSON calls to the edge's API with the current access token; a non-2xx answer throws with its
 *  body. Both are read at each call: a restarted edge has a new origin, a test signs in later. */
export function apiClient(edge: () => { origin: string }, token: () => string | undefined): Api {
  return async <T>(method: string, route: string, body?: unknown, headers: Record<string, string> = {}) => {
    const bearer = token();
    const res = await fetch(edge().origin + route, {
      method,
      headers: { "content-type": "application/json", ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${route} → ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

/** A new client IP (10.x.y.z) per call, so no per-IP rate-limit bucket runs dry. */
export function ipSequence(): () => string {
  let n = 0;
  return () => {
    n++;
    return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  };
}

/**
 * Subscribes push-sink subscriptions through the public API, `concurrency` at a time, each from
 * its own client IP. wrangler dev reloads the Worker when a source file changes and answers the
 * request in flight with 503; subscribe is an upsert, so that one is asked again once.
 */
export async function subscribeAll(api: Api, siteKey: string, subs: Array<{ endpoint: string; keys: unknown }>, concurrency = 16): Promise<void> {
  const nextIp = ipSequence();
  let next = 0;
  const subscribe = (s: { endpoint: string; keys: unknown }) =>
    api("POST", "/api/subscribe", { site_key: siteKey, subscription: { endpoint: s.endpoint, keys: s.keys } }, { "CF-Connecting-IP": nextIp() });
  const worker = async () => {
    while (next < subs.length) {
      const s = subs[next++]!;
      await subscribe(s).catch((err: Error) => (/→ 503:/.test(err.message) ? subscribe(s) : Promise.reject(err)));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
