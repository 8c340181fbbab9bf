// `npm start` itself (scripts/dev.ts) with the real push sink and the real edge (wrangler dev and
// workerd), on free ports and a scratch state directory. Needs the build (npm test runs it first).
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { processRunning, procStat } from "../../scripts/lib/children.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const DEV = path.join(ROOT, "scripts/dev.ts");
const DEV_VARS = path.join(ROOT, ".dev.vars");
const START_TIMEOUT_MS = 120_000; // migrations + a cold wrangler dev; ~15 s on a quiet machine

const running = processRunning;
const cmdline = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
};

/** Every running process below `root`, found by walking parent pids in /proc. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  for (let queue = [root]; queue.length; ) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found.filter(running);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

interface Run {
  process: ChildProcess;
  output(): string;
  exit: Promise<number | null>;
}

function npmStart(env: Record<string, string>): Run {
  const child = spawn(process.execPath, [DEV], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  return { process: child, output: () => out, exit: new Promise((r) => child.once("exit", (code) => r(code))) };
}

async function waitFor(run: Run, pattern: RegExp, ms: number): Promise<void> {
  const t0 = Date.now();
  while (!pattern.test(run.output())) {
    if (run.process.exitCode !== null) assert.fail(`npm start exited (${run.process.exitCode}) before printing ${pattern}:\n${run.output().slice(-3000)}`);
    if (Date.now() - t0 > ms) assert.fail(`no ${pattern} within ${ms} ms:\n${run.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function allGone(pids: number[], ms: number): Promise<void> {
  const t0 = Date.now();
  while (pids.some(running)) {
    if (Date.now() - t0 > ms) assert.fail(`still running ${ms} ms later:\n${pids.filter(running).map((p) => `${p} ${cmdline(p)}`).join("\n")}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("npm start", () => {
  let env: Record<string, string>;
  let stateDir: string;
  const devVarsExisted = existsSync(DEV_VARS);
  const leftovers = new Set<number>();

  before(async () => {
    stateDir = await mkdtemp(path.join(tmpdir(), "herald-npm-start-"));
    env = { PORT: String(await freePort()), PUSH_SINK_PORT: String(await freePort()), PROVIDER_STANDIN_PORT: String(await freePort()), HERALD_STATE_DIR: stateDir };
  });
  after(async () => {
    for (const pid of leftovers) if (running(pid)) process.kill(pid, "SIGKILL");
    await rm(stateDir, { recursive: true, force: true });
    if (!devVarsExisted) rmSync(DEV_VARS, { force: true });
  });

  it("refuses to start, and says why, when its port is taken", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(Number(env.PORT), "127.0.0.1", resolve));
    try {
      const run = npmStart(env);
      assert.equal(await run.exit, 1);
      assert.match(run.output(), new RegExp(`Port ${env.PORT} is already in use — is another Herald running\\? Stop it or set PORT=…`));
      assert.doesNotMatch(run.output(), /Herald is running/);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it("runs, merges the push origins, refuses a second copy, restarts a dead child, and leaves nothing behind when SIGKILLed", { timeout: START_TIMEOUT_MS + 60_000 }, async () => {
    const run = npmStart({ ...env, EXTRA_PUSH_ORIGINS: "https://push.example.test" });
    leftovers.add(run.process.pid!);
    try {
      await waitFor(run, /Herald is running locally/, START_TIMEOUT_MS);
      for (const pid of descendants(run.process.pid!)) leftovers.add(pid);
      assert.match(run.output(), new RegExp(`EXTRA_PUSH_ORIGINS=http://127\\.0\\.0\\.1:${env.PUSH_SINK_PORT},https://push\\.example\\.test \\(from npm start \\+ environment\\)`));
      assert.equal((await fetch(`http://localhost:${env.PORT}/healthz`)).status, 200);

      // A second npm start on the same ports: the sentence, a failure code, no false "running".
      const second = npmStart(env);
      assert.equal(await second.exit, 1);
      assert.match(second.output(), /is already in use — is another Herald running\?/);
      assert.doesNotMatch(second.output(), /Herald is running/);

      // The push sink dies: npm start says so and brings it back.
      const sinkPid = descendants(run.process.pid!).find((pid) => cmdline(pid).includes("push-sink/main.ts"));
      assert.ok(sinkPid, "the push sink runs as a child");
      process.kill(sinkPid, "SIGKILL");
      await waitFor(run, /The push sink \(http:\/\/127\.0\.0\.1:\d+\) was killed by SIGKILL after \d+ \w+\. Restarting it in 1 s/, 10_000);
      await waitFor(run, /The push sink \(http:\/\/127\.0\.0\.1:\d+\) is running again\./, 20_000);
      assert.equal((await fetch(`http://127.0.0.1:${env.PUSH_SINK_PORT}/report`)).status, 200);

      // SIGKILL: npm start gets no chance to clean up; the watchdog must end its process groups.
      const tree = descendants(run.process.pid!);
      for (const pid of tree) leftovers.add(pid);
      assert.ok(tree.some((pid) => /workerd/.test(cmdline(pid))), `a workerd runs below npm start:\n${tree.map(cmdline).join("\n")}`);
      run.process.kill("SIGKILL");
      await run.exit;
      await allGone(tree, 10_000); // SIGTERM, then SIGKILL 5 s later at the latest
    } finally {
      if (run.process.exitCode === null) run.process.kill("SIGKILL");
    }
  });
});
