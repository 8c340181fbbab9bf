// Children die with their parent (scripts/lib/children.ts and watchdog.ts): a parent that stops
// them, and a parent that is SIGKILLed and cannot. Run against a stand-in parent that starts
// groups the way the edge starter does; npm-start.node-test.ts does the same with real workerd.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { after, describe, it } from "node:test";
import { processRunning } from "../../scripts/lib/children.ts";

const FIXTURE = path.join(import.meta.dirname, "fixtures/group-parent.ts");
const started: number[] = [];

// Not gone and not a zombie (init may reap orphans' zombies only every second or so).
const alive = processRunning;
after(() => {
  for (const pid of started) if (alive(pid)) process.kill(pid, "SIGKILL");
});

async function startParent(args: string[] = []) {
  const parent = spawn(process.execPath, [FIXTURE, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  parent.stderr!.on("data", (d) => (out += d)); // in the failure message if it exits early
  const pids = await new Promise<{ leaders: number[]; grandchildren: number[]; watchdog: number }>((resolve, reject) => {
    parent.stdout!.on("data", (d) => {
      out += d;
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) resolve(JSON.parse(line));
    });
    parent.once("exit", (code) => reject(new Error(`fixture exited early (${code}): ${out}`)));
  });
  const all = [...pids.leaders, ...pids.grandchildren, pids.watchdog];
  started.push(parent.pid!, ...all);
  assert.equal(all.length, 5);
  assert.ok(all.every(alive), "everything is running before the parent goes");
  return { parent, pids, all };
}

async function allGone(pids: number[], withinMs: number): Promise<number> {
  const t0 = Date.now();
  while (pids.some(alive)) {
    if (Date.now() - t0 > withinMs) assert.fail(`still running after ${withinMs} ms: ${pids.filter(alive).join(", ")}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - t0;
}

const exitOf = (p: ChildProcess) => new Promise((r) => p.once("exit", r));

describe("children of npm start", () => {
  it("end, grandchildren included, when the parent is SIGKILLed and cannot clean up", async () => {
    const { parent, all } = await startParent();
    const exit = exitOf(parent);
    parent.kill("SIGKILL");
    await exit;
    // The watchdog sees its pipe close at once; SIGTERM ends these stand-ins immediately.
    const ms = await allGone(all, 8000);
    assert.ok(ms < 3000, `took ${ms} ms`);
  });

  it("end when the parent dies of an uncaught error", async () => {
    const { parent, all } = await startParent(["--crash"]);
    assert.equal(await exitOf(parent), 1);
    await allGone(all, 8000);
  });

  it("end when the parent stops them, and the watchdog goes with the parent", async () => {
    const { parent, all } = await startParent(["--stop-on-sigterm"]);
    const exit = exitOf(parent);
    parent.kill("SIGTERM");
    assert.equal(await exit, 0);
    await allGone(all, 8000);
  });
});
