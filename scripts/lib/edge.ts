// Starting the local edge (wrangler dev on workerd: D1, Queues, Durable Objects,
// static assets) for `npm start`, end-to-end tests and benchmarks, and driving its
// cron triggers — `wrangler dev` does not fire them by itself.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { CronExpressionParser } from "cron-parser";
import { spawnGroup, type ExitInfo } from "./children.ts";

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
  /** wrangler itself: the leader of the edge's process group (workerd and esbuild are in it too). */
  process: ChildProcess;
  /** Resolves when wrangler exits; stop() also ends whatever it leaves behind. */
  exited: Promise<ExitInfo>;
  /** The last 20 kB of wrangler's output, for failure messages. */
  log(): string;
  stop(): Promise<void>;
  /** Fires one cron trigger now, exactly as the platform would. */
  fireCron(cron: string): Promise<void>;
}

export interface EdgeOptions {
  port: number;
  persistDir: string;
  vars?: Record<string, string>;
  /** inherit: also show wrangler's output as it comes (npm start); it is kept for log() either way. */
  logs?: "inherit" | "buffer";
  ip?: string;
  /** Several edges at once (tests) each need their own inspector port. */
  inspectorPort?: number;
  /** Abandons the start (npm start stopping during a restart): the edge is stopped, startEdge throws. */
  signal?: AbortSignal;
}

/** wrangler dev compiles the Worker and boots workerd; a cold start takes ~10 s here. */
const EDGE_START_TIMEOUT_MS = 90_000;

/**
 * Starts wrangler dev in its own process group and resolves once it answers /healthz. The group
 * dies with this process even on SIGKILL (children.ts → watchdog.ts).
 */
export async function startEdge(opts: EdgeOptions): Promise<Edge> {
  const ip = opts.ip ?? "127.0.0.1";
  const args = ["dev", "--port", String(opts.port), "--ip", ip, "--persist-to", opts.persistDir, "--show-interactive-dev-session=false"];
  if (opts.inspectorPort) args.push("--inspector-port", String(opts.inspectorPort));
  for (const [k, v] of Object.entries(opts.vars ?? {})) args.push("--var", `${k}:${v}`);
  const child = spawnGroup(process.execPath, [WRANGLER_JS, ...args], {
    cwd: ROOT,
    env: { ...process.env, CI: "1", WRANGLER_SEND_METRICS: "false" },
    echo: opts.logs === "inherit",
  });
  const stop = () => child.stop();
  const fail = async (why: string) => {
    await stop();
    throw new Error(`${why}:\n${child.log()}`);
  };

  const origin = `http://${ip}:${opts.port}`;
  const deadline = Date.now() + EDGE_START_TIMEOUT_MS;
  for (;;) {
    // A failed build leaves wrangler dev running but never serving: fail fast instead. A port
    // taken by another process leaves workerd unbound while the other one answers /healthz.
    const exit = child.process.exitCode ?? child.process.signalCode;
    if (exit !== null) await fail(`wrangler dev failed to start (exit ${exit})`);
    if (/Build failed/.test(child.log())) await fail("wrangler dev failed to build the Worker");
    if (/Address already in use/i.test(child.log())) await fail(`wrangler dev could not listen on port ${opts.port}: address already in use`);
    if (opts.signal?.aborted) await fail("wrangler dev start abandoned");
    try {
      if ((await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2000) })).ok) {
        // Answered — by our workerd only if wrangler is still up and nothing failed to bind.
        await new Promise((r) => setTimeout(r, 100));
        if (child.process.exitCode === null && !/Address already in use/i.test(child.log())) break;
      }
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) await fail(`wrangler dev did not answer /healthz within ${EDGE_START_TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    origin,
    process: child.process,
    exited: child.exited,
    log: child.log,
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
export function driveCrons(edge: Pick<Edge, "fireCron">, crons: string[], log: (msg: string) => void = () => {}): () => void {
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
