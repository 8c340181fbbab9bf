// Starting the local edge (wrangler dev on workerd: D1, Queues, Durable Objects,
// static assets) for `npm start`, end-to-end tests and benchmarks, and driving its
// cron triggers — `wrangler dev` does not fire them by itself.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { CronExpressionParser } from "cron-parser";

export const ROOT = path.resolve(import.meta.dirname, "../..");
// Run wrangler's JS entry with this Node (22) — its shebang would pick the system Node.
const WRANGLER_JS = path.join(ROOT, "node_modules/wrangler/bin/wrangler.js");

function run(args: string[], quiet: boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRANGLER_JS, ...args], { cwd: ROOT, stdio: quiet ? "pipe" : "inherit", env: { ...process.env, CI: "1" } });
    let out = "";
    child.stdout?.on("data", (d) => (out += d));
    child.stderr?.on("data", (d) => (out += d));
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`wrangler ${args.join(" ")} failed (${code}):\n${out}`))));
  });
}

/** Applies every D1 migration to the local state in persistDir (idempotent). */
export function applyMigrations(persistDir: string, quiet = true): Promise<void> {
  return run(["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistDir], quiet);
}

export interface Edge {
  origin: string;
  process: ChildProcess;
  /** The last 20 kB of wrangler's output (buffered logs only), for failure messages. */
  log(): string;
  stop(): Promise<void>;
  /** Fires one cron trigger now, exactly as the platform would. */
  fireCron(cron: string): Promise<void>;
}

export interface EdgeOptions {
  port: number;
  persistDir: string;
  vars?: Record<string, string>;
  /** Where wrangler's output goes: inherit (npm start) or a buffer kept for errors. */
  logs?: "inherit" | "buffer";
  ip?: string;
  /** Several edges at once (tests) each need their own inspector port. */
  inspectorPort?: number;
}

/** wrangler dev compiles the Worker and boots workerd; a cold start takes ~10 s here. */
const EDGE_START_TIMEOUT_MS = 90_000;

export async function startEdge(opts: EdgeOptions): Promise<Edge> {
  const ip = opts.ip ?? "127.0.0.1";
  const args = ["dev", "--port", String(opts.port), "--ip", ip, "--persist-to", opts.persistDir, "--show-interactive-dev-session=false"];
  if (opts.inspectorPort) args.push("--inspector-port", String(opts.inspectorPort));
  for (const [k, v] of Object.entries(opts.vars ?? {})) args.push("--var", `${k}:${v}`);
  const child = spawn(process.execPath, [WRANGLER_JS, ...args], {
    cwd: ROOT,
    stdio: opts.logs === "inherit" ? "inherit" : "pipe",
    env: { ...process.env, CI: "1", WRANGLER_SEND_METRICS: "false" },
    detached: true, // its own process group, so stop() also ends workerd and esbuild
  });
  let log = "";
  child.stdout?.on("data", (d) => (log = (log + d).slice(-20_000)));
  child.stderr?.on("data", (d) => (log = (log + d).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      /* already gone */
    }
  };
  const stop = async () => {
    if (child.exitCode !== null) return;
    signal("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) signal("SIGKILL");
  };

  const origin = `http://${ip}:${opts.port}`;
  const deadline = Date.now() + EDGE_START_TIMEOUT_MS;
  for (;;) {
    // A failed build leaves wrangler dev running but never serving: fail fast instead.
    if (child.exitCode !== null || /Build failed/.test(log)) {
      await stop();
      throw new Error(`wrangler dev failed to start (exit ${child.exitCode}):\n${log}`);
    }
    try {
      if ((await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2000) })).ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev did not answer /healthz within ${EDGE_START_TIMEOUT_MS} ms:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    origin,
    process: child,
    log: () => log,
    stop,
    async fireCron(cron) {
      const res = await fetch(`${origin}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent(cron)}`);
      if (!res.ok) throw new Error(`cron ${cron}: ${res.status} ${await res.text()}`);
    },
  };
}

/** The cron expressions declared in wrangler.toml [triggers]. */
export function configuredCrons(): string[] {
  const toml = readFileSync(path.join(ROOT, "wrangler.toml"), "utf8");
  const match = /\[triggers\][^[]*?crons\s*=\s*\[([^\]]*)\]/s.exec(toml);
  return match ? [...match[1]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!) : [];
}

/** Fires each cron whenever its schedule comes due (checked at every minute boundary). */
export function driveCrons(edge: Edge, crons: string[], log: (msg: string) => void = () => {}): () => void {
  let timer: NodeJS.Timeout;
  const tick = () => {
    const now = new Date();
    now.setSeconds(0, 0);
    for (const cron of crons) {
      const prev = CronExpressionParser.parse(cron, { currentDate: new Date(now.getTime() + 1000) }).prev().toDate();
      if (prev.getTime() === now.getTime()) {
        edge.fireCron(cron).then(
          () => log(`cron ${cron} fired`),
          (err) => log(`cron ${cron} failed: ${err}`),
        );
      }
    }
    timer = setTimeout(tick, 60_000 - (Date.now() % 60_000) + 50);
  };
  timer = setTimeout(tick, 60_000 - (Date.now() % 60_000) + 50);
  return () => clearTimeout(timer);
}
