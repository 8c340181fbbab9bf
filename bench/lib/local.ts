// Helpers the end-to-end benchmarks share (bench/push-e2e, bench/messages): free ports, JSON
// calls to the local edge, the push sink in its own process, CPU seconds read from /proc,
// seeding the local D1 with a SQL file, and replacing one section of docs/benchmarks.md.
// Node 22 only; nothing here knows about a particular benchmark.
import { execFile, execSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { ROOT } from "../../scripts/lib/edge.ts";

const CLK_TCK = Number(execSync("getconf CLK_TCK").toString().trim()) || 100;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function json<T>(url: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const res = await fetch(url, {
    ...init,
    headers: { "content-type": "application/json", ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${url} → ${res.status}: ${text.slice(0, 500)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A Node script (the push sink, the provider stand-ins) in its own process, so its CPU is
 *  measurable; resolves once it prints `ready` on stdout. */
export async function startNodeService(script: string, port: number, ready: string): Promise<{ origin: string; child: ChildProcess; stop(): void }> {
  const child = spawn(process.execPath, [path.join(ROOT, script), "--port", String(port)], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d) => String(d).includes(ready) && resolve());
    child.once("exit", (code) => reject(new Error(`${script} exited (${code})`)));
  });
  return { origin: `http://127.0.0.1:${port}`, child, stop: () => child.kill("SIGTERM") };
}

/** The push sink in its own Node process, so its CPU is measurable and not shared with the peer. */
export async function startSink(): Promise<{ origin: string; child: ChildProcess; stop(): void }> {
  return startNodeService("test/push-sink/main.ts", await freePort(), "listening");
}

/** CPU seconds (user + system) of a process group, by command name. */
export function groupCpu(pgid: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue;
    }
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    const fields = stat.slice(close + 2).split(" "); // fields[0] is state (field 3)
    if (Number(fields[2]) !== pgid) continue;
    const name = comm.startsWith("workerd") ? "workerd" : comm.startsWith("node") || comm.includes("MainThread") ? "wrangler" : comm;
    out[name] = (out[name] ?? 0) + (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  }
  return out;
}

/** CPU seconds (user + system) of one process. */
export const pidCpu = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
};

/** A SQL string literal. */
export const sqlText = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Runs a SQL file against the local D1 in persistDir (the edge must be stopped: one workerd
 *  at a time on the local D1 files). */
export async function d1ExecuteFile(persistDir: string, file: string): Promise<void> {
  await promisify(execFile)(process.execPath, [path.join(ROOT, "node_modules/wrangler/bin/wrangler.js"), "d1", "execute", "DB", "--local", "--persist-to", persistDir, "--file", file, "--yes"], {
    cwd: ROOT,
    env: { ...process.env, CI: "1", WRANGLER_SEND_METRICS: "false" },
    maxBuffer: 64 << 20,
  });
}

export const fmt = (x: number) => Math.round(x).toLocaleString("en-US");
export const s1 = (x: number) => x.toFixed(1);

/** Replaces the section starting at `heading` in docs/benchmarks.md (up to the next "## "), or
 *  appends it; other sections stay as they are. */
export function writeSection(heading: string, md: string) {
  const file = path.join(ROOT, "docs/benchmarks.md");
  let doc = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n\n";
  const start = doc.indexOf(heading);
  if (start < 0) doc = doc.replace(/\n*$/, "\n\n") + md;
  else {
    const next = doc.indexOf("\n## ", start + heading.length);
    doc = doc.slice(0, start) + md + (next < 0 ? "" : doc.slice(next + 1));
  }
  writeFileSync(file, doc);
  console.error(`wrote ${file}`);
}
