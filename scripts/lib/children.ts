// Child processes that cannot outlive whoever started them: each runs in its own process group
// (wrangler dev forks workerd and esbuild; one signal to the group reaches all of them), the group
// is registered with the watchdog (watchdog.ts) in case the parent dies without a word, and
// stop() waits until the whole group is gone — not just its leader — so the ports are free again.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { watchGroup } from "./watchdog.ts";

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** "exited with code 1" / "was killed by SIGKILL", for messages. */
export function describeExit({ code, signal }: ExitInfo): string {
  return signal ? `was killed by ${signal}` : `exited with code ${code}`;
}

export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: no process left in the group
  }
}

/**
 * Is any process of the group still running? A zombie does not count: it has ended and only waits
 * to be reaped — by init once its parent is gone, which in some containers takes a second or more.
 */
export function groupAlive(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return true; // no procfs (not Linux): the signal's answer is all we have
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat && stat.pgid === pgid && stat.state !== "Z" && stat.state !== "X") return true;
  }
  return false;
}

/** Running: neither gone nor a zombie. */
export function processRunning(pid: number): boolean {
  const stat = procStat(pid);
  if (stat) return stat.state !== "Z" && stat.state !== "X";
  if (existsSync("/proc/self")) return false;
  try {
    process.kill(pid, 0); // no procfs (not Linux): signal 0 says whether it exists
    return true;
  } catch {
    return false;
  }
}

/**
 * The processes whose end should end us too: our parent and, when that is the `sh -c` through
 * which npm runs a script, npm itself — killed outright, npm leaves that shell waiting on us.
 */
export function ancestorsToWatch(): number[] {
  const ancestors = [process.ppid];
  let comm = "";
  try {
    comm = readFileSync(`/proc/${process.ppid}/comm`, "utf8").trim();
  } catch {
    /* no procfs */
  }
  const grandparent = procStat(process.ppid)?.ppid;
  if (process.env.npm_lifecycle_event && /^(sh|dash|bash)$/.test(comm) && grandparent && grandparent > 1) ancestors.push(grandparent);
  return ancestors;
}

/** State and process group from /proc/<pid>/stat (undefined: gone, or no procfs). */
export function procStat(pid: number): { state: string; ppid: number; pgid: number } | undefined {
  try {
    // "pid (comm) state ppid pgrp …" — comm may hold spaces and parentheses: split after the last ")".
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const [state, ppid, pgid] = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { state: state!, ppid: Number(ppid), pgid: Number(pgid) };
  } catch {
    return undefined;
  }
}

async function groupGone(pgid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (groupAlive(pgid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

export interface GroupChild {
  process: ChildProcess;
  /** Resolves when the group leader exits (other members may linger: stop() ends them). */
  exited: Promise<ExitInfo>;
  /** The last `logLimit` characters of its stdout and stderr. */
  log(): string;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves once no member is left. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnGroupOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Also copy its output to ours as it comes (npm start); it is buffered for log() either way. */
  echo?: boolean;
  logLimit?: number;
}

export function spawnGroup(command: string, args: string[], opts: SpawnGroupOptions = {}): GroupChild {
  const child = spawn(command, args, {
    cwd: opts.cwd,
    env: opts.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // a new process group (and session) led by the child
  });
  const pgid = child.pid;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
    // spawn failed (ENOENT...): no exit event follows.
    child.once("error", () => child.pid === undefined && resolve({ code: -1, signal: null }));
  });
  const unwatch = pgid ? watchGroup(pgid) : () => {};
  const limit = opts.logLimit ?? 20_000;
  let log = "";
  const keep = (out: NodeJS.WriteStream | undefined) => (d: Buffer) => {
    log = (log + d).slice(-limit);
    if (out && opts.echo) out.write(d);
  };
  child.stdout!.on("data", keep(process.stdout));
  child.stderr!.on("data", keep(process.stderr));

  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 5000) =>
    (stopping ??= (async () => {
      if (!pgid) return;
      if (signalGroup(pgid, "SIGTERM") && !(await groupGone(pgid, graceMs))) {
        signalGroup(pgid, "SIGKILL");
        await groupGone(pgid, 2000);
      }
      await exited;
      unwatch();
    })());
  return { process: child, exited, log: () => log, stop };
}
