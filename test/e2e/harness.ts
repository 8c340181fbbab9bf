// Starts the real local edge for end-to-end tests: builds the SDK bundle, applies the D1
// migrations into a fresh temporary state directory, runs `wrangler dev` on a free port
// and waits for /healthz. Secrets are generated per run, so no .dev.vars is needed.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const root = path.resolve(import.meta.dirname, "../..");
/** wrangler dev compiles the Worker and boots workerd; a cold start takes ~10 s here. */
const EDGE_START_TIMEOUT_MS = 90_000;

export interface Edge {
  origin: string;
  /** stdout + stderr of wrangler dev so far, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  promisify(execFile)(cmd, args, { cwd: root, env: { ...process.env, CI: "1", ...env }, maxBuffer: 16 << 20 });

export async function startEdge(options: { extraPushOrigins?: string[] } = {}): Promise<Edge> {
  // The Worker imports workers/generated/sdk-bundle.ts, and [assets] needs its directory.
  await run(process.execPath, ["scripts/build-sdk.ts"]);
  await mkdir(path.join(root, "dist/dashboard"), { recursive: true });

  const state = await mkdtemp(path.join(tmpdir(), "herald-e2e-"));
  await run("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", state]);

  const [port, inspectorPort] = [await freePort(), await freePort()];
  const secret = () => randomBytes(32).toString("base64");
  const vars = {
    EXTRA_PUSH_ORIGINS: (options.extraPushOrigins ?? []).join(","),
    MASTER_KEYS: `1:${secret()}`,
    JWT_SECRET: secret(),
    METRICS_TOKEN: randomBytes(16).toString("hex"),
  };
  const args = ["wrangler", "dev", "--port", String(port), "--ip", "127.0.0.1", "--inspector-port", String(inspectorPort)];
  args.push("--persist-to", state, "--show-interactive-dev-session=false", "--log-level", "info");
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);

  // Its own process group, so stop() also ends workerd and esbuild under npx.
  const child: ChildProcess = spawn("npx", args, { cwd: root, env: { ...process.env, CI: "1" }, detached: true });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const stop = async () => {
    if (child.exitCode === null) {
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {}
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {}
      }
    }
    await rm(state, { recursive: true, force: true });
  };

  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + EDGE_START_TIMEOUT_MS;
  while (true) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`wrangler dev exited with ${child.exitCode}:\n${output}`);
    }
    try {
      if ((await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2000) })).ok) break;
    } catch {}
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev did not answer /healthz within ${EDGE_START_TIMEOUT_MS} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { origin, log: () => output, stop };
}
