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

export async function startEdge(options: { extraPushOrigins?: string[] } = {}): Promise<Edge> {
  // The Worker imports workers/generated/sdk-bundle.ts, and [assets] needs its directory.
  await promisify(execFile)(process.execPath, ["scripts/build-sdk.ts"], { cwd: ROOT });
  await mkdir(path.join(ROOT, "dist/dashboard"), { recursive: true });

  const state = await mkdtemp(path.join(tmpdir(), "herald-e2e-"));
  await applyMigrations(state);
  const secret = () => randomBytes(32).toString("base64");
  const edge = await startLocalEdge({
    port: await freePort(),
    inspectorPort: await freePort(),
    persistDir: state,
    vars: {
      EXTRA_PUSH_ORIGINS: (options.extraPushOrigins ?? []).join(","),
      MASTER_KEYS: `1:${secret()}`,
      JWT_SECRET: secret(),
      METRICS_TOKEN: randomBytes(16).toString("hex"),
      ADMIN_TOKEN: randomBytes(16).toString("hex"),
    },
  }).catch(async (err) => {
    await rm(state, { recursive: true, force: true });
    throw err;
  });
  return {
    ...edge,
    async stop() {
      await edge.stop();
      await rm(state, { recursive: true, force: true });
    },
  };
}
