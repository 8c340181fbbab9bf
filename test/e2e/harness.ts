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

export async function startEdge(options: { extraPushOrigins?: string[] } = {}): Promise<TestEdge> {
  // The Worker imports workers/generated/sdk-bundle.ts, and [assets] needs its directory.
  await promisify(execFile)(process.execPath, ["scripts/build-sdk.ts"], { cwd: ROOT });
  await mkdir(path.join(ROOT, "dist/dashboard"), { recursive: true });

  const state = await mkdtemp(path.join(tmpdir(), "herald-e2e-"));
  await applyMigrations(state);
  const secret = () => randomBytes(32).toString("base64");
  const vars = {
    EXTRA_PUSH_ORIGINS: (options.extraPushOrigins ?? []).join(","),
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
  const edge = await startLocalEdge({ port: await freePort(), inspectorPort: await freePort(), persistDir: state, vars });
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
