// npm start restarting a child that died (scripts/lib/supervise.ts), on a fake clock.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ExitInfo } from "../../scripts/lib/children.ts";
import { supervise, type RestartPolicy } from "../../scripts/lib/supervise.ts";

class FakeChild {
  static count = 0;
  readonly n = ++FakeChild.count;
  stopped = 0;
  exited: Promise<ExitInfo>;
  die!: (info: ExitInfo) => void;
  constructor() {
    this.exited = new Promise((resolve) => (this.die = resolve));
  }
  async stop() {
    this.stopped++;
    this.die({ code: null, signal: "SIGTERM" });
  }
}

const tick = () => new Promise((r) => setImmediate(r));
async function until(cond: () => boolean) {
  for (let i = 0; i < 1000 && !cond(); i++) await tick();
  assert.ok(cond(), "condition never became true");
}

function harness(policy: Partial<RestartPolicy> = {}, startImpl?: () => Promise<FakeChild>) {
  let clock = 0;
  const logs: string[] = [];
  const sleeps: number[] = [];
  const started: FakeChild[] = [];
  let gaveUp: string | undefined;
  const restarted: FakeChild[] = [];
  const first = new FakeChild();
  const sup = supervise(first, {
    name: "The edge",
    start: startImpl ?? (async () => {
      const c = new FakeChild();
      started.push(c);
      return c;
    }),
    log: (m) => logs.push(m),
    onGiveUp: (m) => (gaveUp = m),
    onRestart: (c) => restarted.push(c),
    policy: { backoffMs: [1000, 2000, 5000], quickMs: 60_000, maxQuickFailures: 3, ...policy },
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
  });
  return {
    sup, first, logs, sleeps, started, restarted,
    gaveUp: () => gaveUp,
    advance: (ms: number) => (clock += ms),
  };
}

describe("supervising a child of npm start", () => {
  it("restarts a child that died, says what died and how, and ends what was left of it", async () => {
    const h = harness();
    h.advance(300_000);
    h.first.die({ code: 1, signal: null });
    await until(() => h.restarted.length === 1);
    assert.equal(h.first.stopped, 1, "the dead child's process group is ended before the restart");
    assert.equal(h.sup.current(), h.started[0]);
    assert.match(h.logs[0]!, /^The edge exited with code 1 after 5 min\. Restarting it in 1 s \(restart 1 of at most 3 in a row\)\.$/);
    assert.equal(h.logs[1], "The edge is running again.");
    await h.sup.stop();
  });

  it("waits longer after each quick failure and gives up after too many in a row", async () => {
    const h = harness();
    h.first.die({ code: null, signal: "SIGKILL" });
    for (let i = 0; i < 3; i++) {
      await until(() => h.started.length === i + 1);
      h.advance(5_000);
      h.started[i]!.die({ code: 1, signal: null });
    }
    await h.sup.done;
    assert.deepEqual(h.sleeps, [1000, 2000, 5000]);
    assert.match(h.logs[0]!, /was killed by SIGKILL/);
    assert.match(h.gaveUp() ?? "", /^The edge exited with code 1 after 5 s: 4 failures in a row, each within 60 s of starting\. Giving up/);
    assert.equal(h.started.length, 3, "no 4th restart");
  });

  it("starts the count afresh after a long healthy run", async () => {
    const h = harness({ maxQuickFailures: 2 });
    h.first.die({ code: 1, signal: null });
    await until(() => h.started.length === 1);
    h.advance(1000);
    h.started[0]!.die({ code: 1, signal: null }); // 2nd quick failure
    await until(() => h.started.length === 2);
    h.advance(10 * 60_000); // then ran for 10 min
    h.started[1]!.die({ code: 1, signal: null });
    await until(() => h.started.length === 3);
    assert.equal(h.gaveUp(), undefined);
    assert.deepEqual(h.sleeps, [1000, 2000, 1000]);
    await h.sup.stop();
  });

  it("counts a restart that fails to start as a quick failure and says why", async () => {
    let attempts = 0;
    const h = harness({ maxQuickFailures: 2 }, async () => {
      attempts++;
      throw new Error("wrangler dev did not answer /healthz within 90000 ms:\n…log…");
    });
    h.first.die({ code: 1, signal: null });
    await h.sup.done;
    assert.equal(attempts, 2);
    assert.match(h.logs[1]!, /^The edge failed to start again \(wrangler dev did not answer \/healthz within 90000 ms\)\. Restarting it in 2 s/);
    assert.match(h.gaveUp() ?? "", /3 failures in a row/);
  });

  it("does not restart a child it was asked to stop", async () => {
    const h = harness();
    await h.sup.stop();
    assert.equal(h.first.stopped, 1);
    await h.sup.done;
    assert.equal(h.started.length, 0);
    assert.deepEqual(h.logs, []);
  });

  it("stops during the backoff without starting another child", async () => {
    let wake!: () => void;
    const started: FakeChild[] = [];
    const first = new FakeChild();
    const sup = supervise(first, {
      name: "The push sink",
      start: async () => (started.push(new FakeChild()), started.at(-1)!),
      log: () => {},
      onGiveUp: () => assert.fail("gave up"),
      sleep: (_ms, signal) => new Promise<void>((r) => ((wake = r), signal.addEventListener("abort", () => r()))),
    });
    first.die({ code: 1, signal: null });
    await until(() => wake !== undefined);
    await sup.stop();
    assert.equal(started.length, 0);
  });
});
